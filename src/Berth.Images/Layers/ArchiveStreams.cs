namespace Berth.Images.Layers;

/// <summary>
/// Docker's DecompressStream for the archives users hand in (<c>docker import</c>, <c>docker load</c>, <c>docker cp</c>
/// into a container, build contexts, ADD): plain tar, gzip, zstd, and also bzip2 and xz, which no OCI layer uses. Those
/// two go through the host's <c>bzip2</c> and <c>xz</c> programs, as Docker's own xz decompression does. Layers a
/// registry or the store holds keep to <see cref="LayerStreams"/>, which refuses them.
/// </summary>
public static class ArchiveStreams
{
    /// <summary>The compression of a stream that starts with <paramref name="head"/> (at least 6 bytes when available).</summary>
    public static ArchiveCompression Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("BZh"u8))
            return ArchiveCompression.Bzip2;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
            return ArchiveCompression.Xz;
        return LayerStreams.Detect(head) switch
        {
            LayerCompression.Gzip => ArchiveCompression.Gzip,
            LayerCompression.Zstd => ArchiveCompression.Zstd,
            _ => ArchiveCompression.None,
        };
    }

    /// <summary>
    /// The tar inside <paramref name="archive"/>, whatever its compression (detected from its first bytes, which are
    /// read and replayed). Disposing the result disposes <paramref name="archive"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    /// <exception cref="StoreException">Internal: the bzip2 or xz program is not installed.</exception>
    public static Stream Decompress(Stream archive, out ArchiveCompression compression, bool leaveOpen = false)
    {
        var head = LayerStreams.ReadHead(archive);
        compression = Detect(head.Span);
        Stream replayed = new PrefixedStream(head, archive, leaveOpen);
        return compression switch
        {
            ArchiveCompression.Bzip2 => new ProgramStream("bzip2", replayed),
            ArchiveCompression.Xz => new ProgramStream("xz", replayed),
            _ => LayerStreams.Decompress(replayed, out _),
        };
    }

    /// <inheritdoc cref="Decompress(Stream, out ArchiveCompression, bool)"/>
    public static Stream Decompress(Stream archive, bool leaveOpen = false) => Decompress(archive, out _, leaveOpen);
}

/// <summary>How an archive a user hands in is compressed (Docker's archive.Compression).</summary>
public enum ArchiveCompression
{
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}
