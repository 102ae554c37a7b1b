using System.Buffers;

namespace Berth.Http;

/// <summary>
/// The body of a streamed response. Each write goes to the client at once, as one chunk; writes are serialized so that
/// concurrent producers never interleave inside a chunk. Disposing writes the last chunk.
/// </summary>
internal sealed class ResponseBodyStream : Stream
{
    public enum Mode
    {
        /// <summary>HTTP/1.1: <c>Transfer-Encoding: chunked</c>.</summary>
        Chunked,

        /// <summary>HTTP/1.0: raw bytes, the end of the body is the end of the connection.</summary>
        UntilClose,

        /// <summary>HEAD, 204, 304: no body is sent, writes are dropped.</summary>
        Discard,
    }

    /// <summary>Chunks up to this size go out in one write with their framing.</summary>
    const int CoalesceLimit = 64 * 1024;

    static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    readonly HttpConnection _connection;
    readonly Mode _mode;
    readonly SemaphoreSlim _writeLock = new(1, 1);
    bool _completed;
    bool _failed;

    public ResponseBodyStream(HttpConnection connection, Mode mode)
    {
        _connection = connection;
        _mode = mode;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _mode == Mode.Discard)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            return; // an empty chunk would end the body
        }
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (_mode == Mode.UntilClose)
            {
                await _connection.Transport.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }
            await WriteChunkAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException and not OperationCanceledException)
        {
            _failed = true;
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    async ValueTask WriteChunkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        const int framing = 16 + 4; // hex length and two CRLFs
        var stream = _connection.Transport;
        if (data.Length <= CoalesceLimit)
        {
            byte[] chunk = ArrayPool<byte>.Shared.Rent(data.Length + framing);
            try
            {
                int n = WriteChunkHeader(chunk, data.Length);
                data.Span.CopyTo(chunk.AsSpan(n));
                n += data.Length;
                chunk[n++] = (byte)'\r';
                chunk[n++] = (byte)'\n';
                await stream.WriteAsync(chunk.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            return;
        }
        byte[] header = new byte[framing];
        int headerLength = WriteChunkHeader(header, data.Length);
        await stream.WriteAsync(header.AsMemory(0, headerLength), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(LineEnd, cancellationToken).ConfigureAwait(false);
    }

    static int WriteChunkHeader(Span<byte> destination, int length)
    {
        length.TryFormat(destination, out int n, "x");
        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        return n;
    }

    /// <summary>Ends the body once; false when the connection failed and cannot carry another response.</summary>
    public async ValueTask<bool> CompleteAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
                return !_failed;
            _completed = true;
            if (_failed)
                return false;
            if (_mode == Mode.Chunked)
                await _connection.Transport.WriteAsync(LastChunk).ConfigureAwait(false);
            return _mode != Mode.UntilClose;
        }
        catch (Exception)
        {
            _failed = true;
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var pending = WriteAsync(buffer.ToArray());
        if (!pending.IsCompletedSuccessfully)
            pending.AsTask().GetAwaiter().GetResult();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await CompleteAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            CompleteAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
