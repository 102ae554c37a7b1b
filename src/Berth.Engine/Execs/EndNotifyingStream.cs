namespace Berth.Engine.Execs;

/// <summary>A stream that calls back once, when its reads reach the end or it is disposed.</summary>
public sealed class EndNotifyingStream(Stream inner, Action ended) : Stream
{
    int _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public Stream Inner => inner;

    public override int Read(byte[] buffer, int offset, int count) => End(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => End(await inner.ReadAsync(buffer, ct));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    int End(int read)
    {
        if (read == 0)
            Notify();
        return read;
    }

    void Notify()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
            ended();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            Notify();
        }
        base.Dispose(disposing);
    }
}
