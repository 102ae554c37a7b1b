using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>
/// A manifest as a registry served it: the exact bytes (its digest is the image's RepoDigest unless an
/// index was resolved to it), its media type, and the document read from them.
/// </summary>
public sealed record PulledManifest(byte[] Bytes, Digest Digest, string MediaType, ImageManifest Manifest);

public sealed partial class ImageStore
{
    /// <summary>
    /// Records an image pulled from a registry whose config and layer blobs the caller fetched into the
    /// content store under <paramref name="lease"/>: the manifest is stored as the registry served it (so a
    /// push gives the same digest), the layers are unpacked (each reported to <paramref name="extracting"/>),
    /// and only then do the names appear, in one transaction: <paramref name="tag"/> (null when pulled by
    /// digest) and <paramref name="repoDigest"/> (name@digest of what the reference resolved to).
    /// A failure before that leaves no image; the lease keeps the fetched blobs for a retry.
    /// </summary>
    public Image AddPulled(LeaseHandle lease, PulledManifest pulled, Reference? tag, Reference repoDigest, Action<int, long>? extracting = null)
    {
        var manifest = pulled.Manifest;
        var configDigest = manifest.Config?.Digest ?? throw StoreException.Invalid($"manifest {pulled.Digest} has no config");
        var configBytes = ReadBlob(configDigest);
        var config = OciImageJson.Read<ImageConfig>(configBytes, $"image config {configDigest}");
        var layers = manifest.Layers ?? [];
        var diffIds = config.RootFS?.DiffIds ?? [];
        if (layers.Count != diffIds.Count)
            throw StoreException.Invalid($"manifest {pulled.Digest}: {layers.Count} layers but {diffIds.Count} diffIDs in its config");
        string? top = UnpackLayers(lease, layers, diffIds, extracting);
        var manifestDigest = CommitBlob(lease, "manifest", pulled.Bytes);
        if (manifestDigest != pulled.Digest)
            throw new StoreException(StoreErrorKind.DataLoss, $"manifest digest mismatch: expected {pulled.Digest}, got {manifestDigest}");
        IReadOnlyList<Reference> names = tag is null ? [repoDigest] : [tag, repoDigest];
        Metadata.Write(tx =>
        {
            tx.Content.Set(manifestDigest, GcLabels.ForManifest(configDigest, layers.Select(l => l.Digest)));
            if (top is not null)
                tx.Content.SetLabel(configDigest, GcLabels.Snapshot(Snapshotter.Name), top);
            var labels = new Dictionary<string, string> { [IdLabel] = configDigest.ToString() };
            SetNames(tx, new ImageRecord(configDigest.ToString(), manifestDigest, pulled.MediaType, pulled.Bytes.Length, tx.Now, tx.Now, labels), names);
        });
        return Get(configDigest.ToString());
    }

    /// <summary>The manifest an image was stored with, as bytes (what a push sends) and its media type.</summary>
    public PulledManifest StoredManifest(Image image)
    {
        byte[] bytes = ReadBlob(image.ManifestDigest);
        return new PulledManifest(bytes, image.ManifestDigest, image.Manifest.MediaType ?? MediaTypes.OciManifest, image.Manifest);
    }

    /// <summary>Adds <paramref name="name"/> (name@digest) to the image: the RepoDigest a push gives it.</summary>
    public void AddRepoDigest(Image image, Reference name) => Metadata.Write(tx =>
    {
        var template = tx.Images.List().First(r => IdOf(r) == image.Id);
        var labels = template.Labels.Where(l => l.Key != TagTimeLabel).ToDictionary();
        if (tx.Images.Get(name.ToString()) is null)
            tx.Images.Set(name.ToString(), template.Target, template.MediaType, template.Size, labels);
    });
}
