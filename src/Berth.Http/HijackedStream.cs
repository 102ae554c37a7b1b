using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// A connection taken over by its handler (attach, exec start): a raw duplex byte stream. Reads return first what the
/// client sent after the request (already buffered), then whatever else it sends, and 0 once it closes or half-closes.
/// Writes go to the client at once and are serialized, so concurrent writers (stdout and stderr pumps) never interleave
/// inside one write. <see cref="CloseWrite"/> half-closes; disposing closes the connection.
/// </summary>
public sealed class HijackedStream : Stream
{
    readonly HttpConnection _connection;
    readonly PipeReader _input;
    readonly SemaphoreSlim _writeLock = new(1, 1);
    int _disposed;

    internal HijackedStream(HttpConnection connection)
    {
        _connection = connection;
        _input = connection.Input;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
            return 0;
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (data.IsEmpty)
            {
                _input.AdvanceTo(data.End);
                if (result.IsCompleted)
                    return 0;
                continue;
            }
            int n = (int)Math.Min(data.Length, buffer.Length);
            var taken = data.Slice(0, n);
            taken.CopyTo(buffer.Span);
            _input.AdvanceTo(taken.End);
            return n;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _connection.Transport.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Shuts down the sending side (<c>shutdown(SHUT_WR)</c>; on TLS a close_notify first): the client reads end of
    /// file while this side can still read what the client sends, as dockerd does when a container's output ends.
    /// </summary>
    public void CloseWrite() => CloseWriteAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="CloseWrite"/>
    public async ValueTask CloseWriteAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _connection.CloseWriteAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            _connection.Abort();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
