using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>A body of a declared length.</summary>
internal sealed class ContentLengthBodyStream(HttpConnection connection, long length, bool expectContinue)
    : RequestBodyStream(connection, expectContinue)
{
    long _remaining = length;

    public override bool IsComplete => _remaining == 0;

    protected override ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty || _remaining == 0)
            return ValueTask.FromResult(0);
        if (Input.TryRead(out var ready))
        {
            int n = Consume(ready, destination.Span);
            if (n > 0)
                return ValueTask.FromResult(n);
        }
        return ReadSlowAsync(destination, cancellationToken);
    }

    async ValueTask<int> ReadSlowAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            int n = Consume(result, destination.Span);
            if (n > 0)
                return n;
        }
    }

    int Consume(in ReadResult result, Span<byte> destination)
    {
        var buffer = result.Buffer;
        if (buffer.IsEmpty)
        {
            Input.AdvanceTo(buffer.Start);
            if (result.IsCompleted)
                throw UnexpectedEnd();
            return 0;
        }
        int n = (int)Math.Min(Math.Min(buffer.Length, _remaining), destination.Length);
        var taken = buffer.Slice(0, n);
        taken.CopyTo(destination);
        Input.AdvanceTo(taken.End);
        _remaining -= n;
        return n;
    }
}
