namespace Berth.Build.Executor;

/// <summary>
/// The output of stages that build at the same time, kept in Dockerfile order: the earliest unfinished stage writes
/// through as it goes; a later one is held until every stage before it has finished, then written whole. A reader
/// sees what a one-stage-at-a-time build would print.
/// </summary>
internal sealed class StageOutputs(IBuildOutput sink, int count)
{
    readonly SemaphoreSlim _lock = new(1, 1);
    readonly List<ReadOnlyMemory<byte>>[] _held = [.. Enumerable.Range(0, count).Select(_ => new List<ReadOnlyMemory<byte>>())];
    readonly bool[] _finished = new bool[count];
    int _head;

    /// <summary>The output of the <paramref name="position"/>th stage built (in Dockerfile order among those built).</summary>
    public IBuildOutput For(int position) => new StageOutput(this, position);

    /// <summary>A stage is done (or failed): its successors' held output comes out up to the next unfinished one.</summary>
    public async Task FinishAsync(int position, CancellationToken ct)
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            _finished[position] = true;
            while (_head < count && _finished[_head])
            {
                _head++;
                if (_head < count)
                    await FlushAsync(_head, ct);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>After a failure: whatever every stage said, in order, so that the failing step's output is seen.</summary>
    public async Task FlushAllAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            for (int i = _head; i < count; i++)
                await FlushAsync(i, ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    async Task FlushAsync(int position, CancellationToken ct)
    {
        foreach (var text in _held[position])
            await sink.WriteAsync(text, ct);
        _held[position].Clear();
    }

    async ValueTask WriteAsync(int position, ReadOnlyMemory<byte> text, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (position == _head)
                await sink.WriteAsync(text, ct);
            else
                _held[position].Add(text.ToArray());
        }
        finally
        {
            _lock.Release();
        }
    }

    sealed class StageOutput(StageOutputs outputs, int position) : IBuildOutput
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> text, CancellationToken ct) => outputs.WriteAsync(position, text, ct);
    }
}
