using System.Globalization;
using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>A layer blob in the content store: its digest and size, media type (compression), and diffID.</summary>
public sealed record StoredLayer(Digest Digest, long Size, string MediaType, Digest DiffId);

public sealed partial class ImageStore
{
    /// <summary>
    /// Records an image whose config and layer blobs the caller wrote under <paramref name="lease"/>:
    /// writes its manifest and gives it <paramref name="names"/> (none: it is dangling), moving a name
    /// another image had and leaving that one dangling if it was its last, as Docker's tag does.
    /// </summary>
    internal Image AddImage(LeaseHandle lease, Digest configDigest, IReadOnlyList<StoredLayer> layers, IReadOnlyList<Reference> names, Digest? parent = null)
    {
        long configSize = Content.Info(configDigest)?.Size ?? throw new StoreException(StoreErrorKind.Internal, $"image config {configDigest} is not in the store");
        var manifest = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configSize },
            Layers = [.. layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Size })],
        };
        byte[] manifestBytes = OciImageJson.Write(manifest);
        var manifestDigest = CommitBlob(lease, "manifest", manifestBytes);
        Metadata.Write(tx =>
        {
            tx.Content.Set(manifestDigest, GcLabels.ForManifest(configDigest, layers.Select(l => l.Digest)));
            var labels = new Dictionary<string, string> { [IdLabel] = configDigest.ToString() };
            if (parent is { } p)
                labels[ParentLabel] = p.ToString();
            SetNames(tx, new ImageRecord(configDigest.ToString(), manifestDigest, MediaTypes.OciManifest, manifestBytes.Length, tx.Now, tx.Now, labels), names);
        });
        return Get(configDigest.ToString());
    }

    /// <summary>Writes <paramref name="data"/> as a blob held by <paramref name="lease"/>.</summary>
    internal Digest CommitBlob(LeaseHandle lease, string what, ReadOnlySpan<byte> data)
    {
        using var writer = Content.OpenWriter($"{what}-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, $"cannot open an ingest for the {what}");
        writer.Write(data);
        return lease.Commit(writer);
    }

    /// <summary>
    /// Gives an image names, in the caller's transaction; with none, it keeps (or gets) its dangling
    /// record. <paramref name="template"/> is one of its records (manifest, ID, parent).
    /// </summary>
    static void SetNames(MetadataTransaction tx, ImageRecord template, IReadOnlyList<Reference> names)
    {
        var id = IdOf(template);
        var labels = template.Labels.Where(l => l.Key != TagTimeLabel).ToDictionary();
        if (names.Count == 0)
        {
            if (tx.Images.List().All(r => IdOf(r) != id))
                tx.Images.Set(id.ToString(), template.Target, template.MediaType, template.Size, labels);
            return;
        }
        string now = tx.Now.ToString("O", CultureInfo.InvariantCulture);
        foreach (var name in names)
        {
            string key = name.WithDefaultTag().ToString();
            var previous = tx.Images.Get(key);
            tx.Images.Set(key, template.Target, template.MediaType, template.Size, new Dictionary<string, string>(labels) { [TagTimeLabel] = now });
            if (previous is not null && IdOf(previous) != id)
                KeepDangling(tx, previous);
        }
        tx.Images.Delete(id.ToString());
    }

    /// <summary>An image that just lost a name keeps a record of its own if that was its last.</summary>
    static void KeepDangling(MetadataTransaction tx, ImageRecord lost)
    {
        var id = IdOf(lost);
        if (tx.Images.List().Any(r => IdOf(r) == id))
            return;
        var labels = lost.Labels.Where(l => l.Key != TagTimeLabel).ToDictionary();
        tx.Images.Set(id.ToString(), lost.Target, lost.MediaType, lost.Size, labels);
    }
}
