using System.IO.Compression;

namespace Berth.Images.Layers;

/// <summary>How a layer blob is compressed (OCI media types <c>tar</c>, <c>tar+gzip</c>, <c>tar+zstd</c>).</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>Detects a layer's compression from its first bytes and wraps streams to undo or apply it.</summary>
public static class LayerStreams
{
    /// <summary>The compression of a stream that starts with <paramref name="head"/> (at least 6 bytes when available).</summary>
    public static LayerCompression Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 0x08)
            return LayerCompression.Gzip;
        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
            return LayerCompression.Zstd;
        // A zstd skippable frame (magic 0x184D2A5?, little-endian) may come first (zstd:chunked, estargz).
        if (head.Length >= 4 && (head[0] & 0xf0) == 0x50 && head[1] == 0x2a && head[2] == 0x4d && head[3] == 0x18)
            return LayerCompression.Zstd;
        if (head.Length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h')
            throw StoreException.Invalid("bzip2-compressed layers are not supported (OCI layers are tar, tar+gzip or tar+zstd)");
        if (head.Length >= 6 && head[..6].SequenceEqual<byte>([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
            throw StoreException.Invalid("xz-compressed layers are not supported (OCI layers are tar, tar+gzip or tar+zstd)");
        return LayerCompression.None;
    }

    /// <summary>
    /// The uncompressed tar inside <paramref name="layer"/>, whatever its compression (detected from
    /// its first bytes, which are read and replayed). Disposing the result disposes <paramref name="layer"/>
    /// unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static Stream Decompress(Stream layer, out LayerCompression compression, bool leaveOpen = false)
    {
        var head = ReadHead(layer);
        compression = Detect(head.Span);
        Stream replayed = new PrefixedStream(head, layer, leaveOpen);
        return compression switch
        {
            LayerCompression.Gzip => new GZipStream(replayed, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(replayed, leaveOpen: false),
            _ => replayed,
        };
    }

    /// <summary>The first bytes of <paramref name="stream"/>, enough to tell its compression (fewer at its end).</summary>
    internal static ReadOnlyMemory<byte> ReadHead(Stream stream)
    {
        byte[] head = new byte[6];
        int n = 0;
        for (int r; n < head.Length && (r = stream.Read(head, n, head.Length - n)) > 0;)
            n += r;
        return head.AsMemory(0, n);
    }

    /// <summary>A stream that compresses what is written to it into <paramref name="output"/>.</summary>
    public static Stream Compress(Stream output, LayerCompression compression, CompressionLevel level = CompressionLevel.Optimal, bool leaveOpen = true)
        => compression switch
        {
            LayerCompression.Gzip => new GZipStream(output, level, leaveOpen),
            // zstd's own default level (3) for Optimal, as containerd and Docker use it.
            LayerCompression.Zstd => new ZstdSharp.CompressionStream(output, level switch
            {
                CompressionLevel.Fastest => 1,
                CompressionLevel.SmallestSize => 19,
                CompressionLevel.NoCompression => 1,
                _ => 3,
            }, leaveOpen: leaveOpen),
            _ => leaveOpen ? new NonClosingStream(output) : output,
        };

    /// <summary>The OCI media type suffix of a compression: "", "+gzip", "+zstd".</summary>
    public static string MediaTypeSuffix(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => "+gzip",
        LayerCompression.Zstd => "+zstd",
        _ => "",
    };
}
