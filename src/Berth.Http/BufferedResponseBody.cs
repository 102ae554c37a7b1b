namespace Berth.Http;

/// <summary>
/// A response body written as Go's net/http sends one a handler writes without flushing: the first
/// <see cref="GoChunkingThreshold"/> bytes are held back, and a body that ends within them goes out with a
/// <c>Content-Length</c>; a longer one starts a chunked stream with what was held, then streams the rest. dockerd's
/// archive answers are sent this way, and clients lean on it: Docker.DotNet's chunked reader fails where a small
/// file's tar comes chunked. Writes are synchronous (a tar writer's); <see cref="CompleteAsync"/> ends the body.
/// </summary>
public sealed class BufferedResponseBody(HttpContext context, string contentType) : Stream
{
    /// <summary>Go's bufferBeforeChunkingSize.</summary>
    public const int GoChunkingThreshold = 2048;

    readonly MemoryStream _held = new();
    Stream? _stream;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_stream is null && _held.Length + buffer.Length <= GoChunkingThreshold)
        {
            _held.Write(buffer);
            return;
        }
        if (_stream is null)
        {
            _stream = context.Response.StartStreamAsync(contentType, context.Aborted).GetAwaiter().GetResult();
            _stream.Write(_held.GetBuffer().AsSpan(0, (int)_held.Length));
        }
        _stream.Write(buffer);
    }

    /// <summary>Sends what is held with its length, or ends the chunked stream.</summary>
    public async Task CompleteAsync()
    {
        if (_stream is null)
            await context.Response.WriteAsync(_held.GetBuffer().AsMemory(0, (int)_held.Length), contentType, context.Aborted).ConfigureAwait(false);
        else
            await _stream.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush()
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
