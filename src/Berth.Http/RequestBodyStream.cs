using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// A request body read straight from the connection's input pipe, in place, with no buffering of its own. Framing is
/// the subclass's; the first read answers <c>Expect: 100-continue</c> while the response has not started.
/// </summary>
internal abstract class RequestBodyStream : Stream
{
    /// <summary>Go's <c>maxPostHandlerReadBytes</c>: what is drained of a body its handler left unread to keep the connection.</summary>
    public const int DrainLimit = 256 * 1024;

    protected readonly PipeReader Input;
    readonly HttpConnection _connection;
    bool _continuePending;
    bool _detached;

    protected RequestBodyStream(HttpConnection connection, bool expectContinue)
    {
        _connection = connection;
        Input = connection.Input;
        _continuePending = expectContinue;
    }

    /// <summary>The whole body has been read: the next byte on the connection belongs to the next request.</summary>
    public abstract bool IsComplete { get; }

    /// <summary>The client was told to send the body, or never waited to be told.</summary>
    public bool ContinueSettled => !_continuePending;

    /// <summary>Reads into <paramref name="destination"/>; 0 only at the end of the body.</summary>
    protected abstract ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>
    /// Called when the request is over: from now on the connection's input belongs to the next request, and a handler
    /// that kept the stream must not read it.
    /// </summary>
    public void Detach() => _detached = true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_detached, this);
        if (IsComplete)
            return ValueTask.FromResult(0);
        if (_continuePending)
            return ContinueThenReadAsync(buffer, cancellationToken);
        return ReadBodyAsync(buffer, cancellationToken);
    }

    async ValueTask<int> ContinueThenReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _continuePending = false;
        await _connection.WriteContinueAsync(cancellationToken).ConfigureAwait(false);
        return await ReadBodyAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and discards up to <paramref name="limit"/> bytes; true when the body ended within them. A client still
    /// waiting for <c>100 Continue</c> has sent nothing, so there is nothing to drain and the connection cannot be kept.
    /// </summary>
    public async ValueTask<bool> DrainAsync(int limit, CancellationToken cancellationToken)
    {
        if (IsComplete)
            return true;
        if (_continuePending)
            return false;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            while (drained <= limit)
            {
                if (IsComplete)
                    return true;
                int n = await ReadBodyAsync(scratch, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    return true;
                drained += n;
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The client closed the connection in the middle of the body.</summary>
    protected static IOException UnexpectedEnd() => new("unexpected end of request body: the client closed the connection");

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var pending = ReadAsync(rented.AsMemory(0, buffer.Length));
            int n = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
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

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
