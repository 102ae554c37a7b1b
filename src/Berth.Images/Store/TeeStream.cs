namespace Berth.Images.Store;

/// <summary>A read-only stream that hands every chunk it reads to a sink: an ingest written while a layer is applied.</summary>
internal sealed class TeeStream(Stream source, Action<ReadOnlySpan<byte>> sink) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        int n = source.Read(buffer);
        sink(buffer[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        // The caller owns the source.
    }
}
