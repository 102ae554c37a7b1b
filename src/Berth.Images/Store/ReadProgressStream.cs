namespace Berth.Images.Store;

/// <summary>
/// A read-only stream that reports how many bytes were read so far: the "Extracting" bar of a pull, the upload bar of
/// a push. It disposes its source only when it owns it.
/// </summary>
public sealed class ReadProgressStream(Stream source, Action<long>? progress, bool ownsSource = false) : ReadOnlyStream
{
    long _read;

    public override int Read(Span<byte> buffer)
    {
        int n = source.Read(buffer);
        Count(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    void Count(int n)
    {
        if (n <= 0)
            return;
        _read += n;
        progress?.Invoke(_read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsSource)
            source.Dispose();
        base.Dispose(disposing);
    }
}
