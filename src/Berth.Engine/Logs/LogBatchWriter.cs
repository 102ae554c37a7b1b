using System.Buffers;
using Berth.Engine.Streams;

namespace Berth.Engine.Logs;

/// <summary>
/// Formats entries as <see cref="LogFormatter"/> does, straight from their records into one pooled buffer, and writes
/// them out many at a time: a log of short lines sent one write per entry costs a syscall (and an HTTP chunk) per
/// line, which is most of the time docker logs takes.
/// </summary>
internal sealed class LogBatchWriter(bool timestamps, bool tty) : IDisposable
{
    /// <summary>
    /// A batch goes out once it holds this much: below the response body's 64 KiB coalescing limit, so that a batch
    /// and its chunk framing leave in one write.
    /// </summary>
    internal const int FlushAt = 60 * 1024;

    const int InitialBuffer = 128 * 1024;

    byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    int _length;

    /// <summary>The bytes formatted and not yet written.</summary>
    public int Length => _length;

    /// <summary>
    /// Formats the entries <paramref name="selector"/> takes from <paramref name="reader"/> until the batch is full
    /// (true: flush, then fill again) or the reader has none for now (false).
    /// </summary>
    public bool Fill(EntrySelector selector, RecordReader reader)
    {
        while (_length < FlushAt)
        {
            if (!selector.TryNext(reader, out var record, out var parsed))
                return false;
            Append(record, parsed);
        }
        return true;
    }

    /// <summary>Formats one entry.</summary>
    public void Append(ReadOnlySpan<byte> record, in LogRecord parsed)
    {
        int header = tty ? 0 : MultiplexedStream.HeaderLength;
        EnsureFree(header + LogFormatter.TimestampLength + LogRecordFormat.MaxLineLength(parsed));
        Span<byte> entry = _buffer.AsSpan(_length);
        int n = header;
        if (timestamps)
        {
            n += GoTimeText.FormatNanoFixed(parsed.Time, entry[n..]);
            entry[n++] = (byte)' ';
        }
        n += LogRecordFormat.CopyLine(record, parsed, entry[n..]);
        if (!tty)
            MultiplexedStream.WriteHeader(entry, (StdStream)parsed.Source, n - header);
        _length += n;
    }

    /// <summary>Writes what the batch holds, if anything, in one write.</summary>
    public async ValueTask FlushAsync(Stream output, CancellationToken ct)
    {
        if (_length == 0)
            return;
        await output.WriteAsync(_buffer.AsMemory(0, _length), ct).ConfigureAwait(false);
        _length = 0;
        if (_buffer.Length > InitialBuffer)
        {
            // One very long line grew the buffer: do not hold on to that much for the rest of the log.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        }
    }

    void EnsureFree(int count)
    {
        if (_buffer.Length - _length >= count)
            return;
        byte[] larger = ArrayPool<byte>.Shared.Rent(_length + count);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
