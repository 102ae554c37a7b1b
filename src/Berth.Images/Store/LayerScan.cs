using Berth.Images.Layers;

namespace Berth.Images.Store;

/// <summary>
/// Reads a layer tar through without extracting it: checks that it is a whole, well-formed archive
/// and sums its entries' sizes (Docker's layer size, what its UnpackLayer returns), optionally
/// copying every byte read to a sink (an ingest) on the way.
/// </summary>
internal static class LayerScan
{
    public static (long TarSize, long ContentSize) Scan(Stream tar, Action<ReadOnlySpan<byte>>? sink = null)
    {
        using var source = sink is null ? tar : new TeeStream(tar, sink);
        using var reader = new TarReader(source);
        long contentSize = 0;
        while (reader.Next() is { } entry)
            contentSize += entry.Size;
        reader.ReadToEnd();
        return (reader.BytesRead, contentSize);
    }

    /// <summary>A read-only stream that hands every chunk it reads to a sink.</summary>
    sealed class TeeStream(Stream source, Action<ReadOnlySpan<byte>> sink) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = source.Read(buffer);
            sink(buffer[..n]);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // The caller owns the source.
        }
    }
}
