using System.Globalization;
using System.Text;

namespace Berth.Cli.Client;

/// <summary>A response body of a known length.</summary>
internal sealed class ContentLengthReadStream(Stream inner, long length) : ReadOnlyStream
{
    long _remaining = length;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        if (_remaining == 0 || destination.Length == 0)
            return 0;
        int n = await inner.ReadAsync(destination[..(int)Math.Min(destination.Length, _remaining)], ct).ConfigureAwait(false);
        if (n == 0)
            throw new IOException($"unexpected EOF: the daemon closed the connection with {_remaining} bytes of the body to come");
        _remaining -= n;
        return n;
    }
}

/// <summary>A chunked response body (RFC 9112 7.1), trailers skipped.</summary>
internal sealed class ChunkedReadStream(Connection inner) : ReadOnlyStream
{
    long _chunkLeft;
    bool _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        if (_done || destination.Length == 0)
            return 0;
        if (_chunkLeft == 0)
        {
            string? line = await inner.ReadLineAsync(ct).ConfigureAwait(false) ?? throw new IOException("unexpected EOF in a chunked body");
            int semi = line.IndexOf(';');
            string size = (semi >= 0 ? line[..semi] : line).Trim();
            if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _chunkLeft) || _chunkLeft < 0)
                throw new IOException($"malformed chunk size {line}");
            if (_chunkLeft == 0)
            {
                while (await inner.ReadLineAsync(ct).ConfigureAwait(false) is { Length: > 0 })
                {
                }
                _done = true;
                return 0;
            }
        }
        int n = await inner.ReadAsync(destination[..(int)Math.Min(destination.Length, _chunkLeft)], ct).ConfigureAwait(false);
        if (n == 0)
            throw new IOException("unexpected EOF in a chunked body");
        _chunkLeft -= n;
        if (_chunkLeft == 0)
            await inner.ReadLineAsync(ct).ConfigureAwait(false);
        return n;
    }
}

/// <summary>A body that ends when the daemon closes the connection (or is empty).</summary>
internal sealed class UntilCloseReadStream(Stream? inner) : ReadOnlyStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default) =>
        inner is null ? ValueTask.FromResult(0) : inner.ReadAsync(destination, ct);
}

/// <summary>The read-only Stream plumbing of the body streams: everything funnels into ReadAsync(Memory).</summary>
internal abstract class ReadOnlyStream : Stream
{
    public abstract override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanWrite => false;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Writes a request body of unknown length in chunks (docker streams import and load bodies this way).</summary>
internal static class ChunkedWriter
{
    public static async Task CopyAsync(Stream source, Stream target, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            await target.WriteAsync(Encoding.ASCII.GetBytes(n.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), ct).ConfigureAwait(false);
            await target.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            await target.WriteAsync("\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        }
        await target.WriteAsync("0\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
    }
}
