using System.IO.Compression;
using Berth.Images.Metadata;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

public sealed partial class ImageStore
{
    /// <summary>Content label on an uncompressed layer blob: the digest of its gzip copy (made once, for pushes).</summary>
    internal const string GzipLabel = "berth.layer.gzip";

    /// <summary>
    /// The layer as Docker pushes it: gzip. A layer stored uncompressed (loaded, imported, committed) is compressed
    /// once into the content store under <paramref name="lease"/> (gzip's default level, no time stamp in the
    /// header, so the same tar always gives the same blob and a second push finds it in the registry); a
    /// compressed one is returned as it is.
    /// </summary>
    public Descriptor GzipLayer(LeaseHandle lease, Descriptor layer)
    {
        if (MediaTypes.CompressionOf(layer.MediaType) is not LayerCompression.None)
            return layer;
        var labels = Metadata.Read(tx => tx.Content.Get(layer.Digest));
        if (labels.TryGetValue(GzipLabel, out string? known) && Digest.TryParse(known, out var cached))
        {
            lease.Add(LeaseResource.Content(cached));
            if (Content.Info(cached) is { } info)
                return Gzip(cached, info.Size);
        }
        using var writer = Content.OpenWriter($"gzip-{layer.Digest.Encoded}-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, "cannot open an ingest for a compressed layer");
        try
        {
            using var input = Content.OpenRead(layer.Digest);
            using var output = new ContentWriterStream(writer);
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                input.CopyTo(gzip, 1 << 16);
        }
        catch
        {
            writer.Abort();
            throw;
        }
        var digest = lease.Commit(writer);
        long size = Content.Info(digest)?.Size ?? throw new StoreException(StoreErrorKind.Internal, $"compressed layer {digest} vanished");
        Metadata.Write(tx => tx.Content.SetLabel(layer.Digest, GzipLabel, digest.ToString()));
        return Gzip(digest, size);
    }

    static Descriptor Gzip(Digest digest, long size) => new() { MediaType = MediaTypes.DockerLayerGzip, Digest = digest, Size = size };
}
