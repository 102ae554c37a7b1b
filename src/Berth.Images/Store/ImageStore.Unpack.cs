using Berth.Images.Gc;
using Berth.Images.Layers;
using Berth.Images.Metadata;
using Berth.Images.Snapshots;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

public sealed partial class ImageStore
{
    /// <summary>
    /// Makes sure the image's layers are unpacked, each into a committed snapshot named by its chain
    /// ID (shared with every image that has the same layers below it), and returns the top one's name
    /// (null for an image without layers). Each layer is applied into a transient snapshot under a
    /// lease, its diffID checked against the config, and committed only when whole; a failure
    /// removes the half-applied snapshot.
    /// </summary>
    public string? Unpack(Image image)
    {
        var layers = image.Manifest.Layers ?? [];
        var diffIds = image.DiffIds;
        if (layers.Count != diffIds.Count)
            throw StoreException.Invalid($"image {image.Id}: {layers.Count} layers but {diffIds.Count} diffIDs in its config");
        if (layers.Count == 0)
            return null;
        var chain = ChainId.All(diffIds);
        if (IsUnpacked(image, chain[^1].ToString()))
            return chain[^1].ToString();
        using var lease = LeaseHandle.Create(Metadata);
        string? top = UnpackLayers(lease, layers, diffIds);
        Metadata.Write(tx => tx.Content.SetLabel(image.Id, GcLabels.Snapshot(Snapshotter.Name), top));
        return top;
    }

    /// <summary>
    /// Unpacks <paramref name="layers"/> (blobs in the store) into the snapshots of their chain IDs under
    /// <paramref name="lease"/>, skipping those committed already; returns the top one's name (null: no layers).
    /// <paramref name="progress"/> hears (layer index, compressed bytes read so far; -1 when the layer was there).
    /// </summary>
    internal string? UnpackLayers(LeaseHandle lease, IReadOnlyList<Descriptor> layers, IReadOnlyList<Digest> diffIds, Action<int, long>? progress = null)
    {
        if (layers.Count != diffIds.Count)
            throw StoreException.Invalid($"{layers.Count} layers but {diffIds.Count} diffIDs in the image config");
        var chain = ChainId.All(diffIds);
        string? parent = null;
        for (int i = 0; i < layers.Count; i++)
        {
            string name = chain[i].ToString();
            if (HoldIfCommitted(lease, name))
                progress?.Invoke(i, -1);
            else
            {
                int index = i;
                UnpackLayer(lease, layers[i], diffIds[i], parent, name, progress is null ? null : read => progress(index, read));
            }
            parent = name;
        }
        return parent;
    }

    /// <summary>
    /// The image's top layer is committed and the image's GC label holds it (so holds the whole
    /// chain): nothing to unpack, and no write (no fsync) on a container's start.
    /// </summary>
    bool IsUnpacked(Image image, string top) => Metadata.Read(tx =>
        tx.Snapshots(Snapshotter.Name).Get(top) is { Kind: SnapshotKind.Committed }
        && tx.Content.Get(image.Id).TryGetValue(GcLabels.Snapshot(Snapshotter.Name), out string? held) && held == top);

    /// <summary>A new writable snapshot <paramref name="key"/> over the image's file system (none: an empty one): a container's root.</summary>
    public IReadOnlyList<MountSpec> PrepareContainer(Image? image, string key, IReadOnlyDictionary<string, string>? labels = null)
        => Snapshotter.Prepare(key, image is null ? null : Unpack(image), labels);

    bool HoldIfCommitted(LeaseHandle lease, string name)
    {
        using var hold = Metadata.HoldCollection();
        return Metadata.Write(tx =>
        {
            var existing = tx.Snapshots(Snapshotter.Name).Get(name);
            if (existing is null)
                return false;
            lease.Add(tx, LeaseResource.Snapshot(Snapshotter.Name, name));
            return true;
        });
    }

    /// <summary>
    /// How an image's layer is applied: Docker's breakout check included, so a layer with a relative symlink that
    /// climbs out of the root ("a -> ../../etc") is refused as dockerd refuses it ("invalid symlink"), not just
    /// neutralised; absolute symlinks are fine, they resolve inside the container's root.
    /// </summary>
    static ApplyOptions LayerOptions(LayerDirectory target, Digest? diffId, bool skipDiffId = false)
        => new() { Whiteouts = target.Whiteouts, ExpectedDiffId = diffId, SymlinksStayInside = true, SkipDiffId = skipDiffId };

    void UnpackLayer(LeaseHandle lease, Descriptor layer, Digest diffId, string? parent, string name, Action<long>? progress = null)
    {
        string key = PrepareExtraction(lease, parent);
        try
        {
            var target = Snapshotter.LayerDirectory(key);
            using var file = Content.OpenRead(layer.Digest);
            using var blob = progress is null ? file : new ReadProgressStream(file, progress);
            LayerApplier.Apply(blob, target.Path, LayerOptions(target, diffId));
        }
        catch (StoreException e)
        {
            Snapshotter.Remove(key);
            throw new StoreException(e.Kind, $"unpack layer {layer.Digest}: {e.Message}", e);
        }
        catch
        {
            Snapshotter.Remove(key);
            throw;
        }
        CommitExtraction(lease, key, name);
    }

    /// <summary>
    /// Stores an uncompressed copy of a layer under the lease and, from the same read, applies it into
    /// the snapshot of its chain ID over <paramref name="parent"/> (a committed chain ID, or null for a
    /// base layer): one pass where storing and unpacking apart would read the layer twice. A layer whose
    /// diffID is not <paramref name="expectedDiffId"/> (when given) is refused, and a failure leaves
    /// neither blob nor snapshot.
    /// </summary>
    internal StoredLayer StoreAndUnpack(LeaseHandle lease, Stream layer, string what, string? parent, Digest? expectedDiffId)
    {
        using var tar = LayerStreams.Decompress(layer, out _, leaveOpen: true);
        using var writer = Content.OpenWriter($"{what}-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, $"cannot open an ingest for the {what}");
        string key = PrepareExtraction(lease, parent);
        ApplyResult applied;
        try
        {
            var target = Snapshotter.LayerDirectory(key);
            using var tee = new TeeStream(tar, writer.Write);
            // The blob is the uncompressed layer, so its digest (which the writer computes anyway) is the diffID: one
            // sha256 pass over the layer instead of two.
            applied = LayerApplier.Apply(tee, target.Path, LayerOptions(target, null, skipDiffId: true));
            if (expectedDiffId is { } expected && writer.CurrentDigest != expected)
                throw new StoreException(StoreErrorKind.DataLoss, $"layer diffID mismatch: expected {expected}, got {writer.CurrentDigest}");
        }
        catch
        {
            writer.Abort();
            Snapshotter.Remove(key);
            throw;
        }
        var digest = lease.Commit(writer);
        RecordSizes(digest, applied.TarSize, applied.ContentSize);
        var chain = parent is null ? digest : ChainId.Next(Digest.Parse(parent), digest);
        CommitExtraction(lease, key, chain.ToString());
        return new StoredLayer(digest, applied.TarSize, MediaTypes.OciLayer, digest);
    }

    /// <summary>A transient active snapshot to apply a layer into, held by the lease from the start.</summary>
    string PrepareExtraction(LeaseHandle lease, string? parent)
    {
        string key = $"extract-{Guid.NewGuid():N}";
        using (Metadata.HoldCollection())
        {
            Snapshotter.Prepare(key, parent, new Dictionary<string, string> { [GcLabels.Transient] = "" });
            lease.Add(LeaseResource.Snapshot(Snapshotter.Name, key));
        }
        return key;
    }

    /// <summary>Commits an applied layer under its chain ID, or drops it if another unpack committed that one first.</summary>
    void CommitExtraction(LeaseHandle lease, string key, string name)
    {
        using (Metadata.HoldCollection())
        {
            try
            {
                Snapshotter.Commit(name, key);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict)
            {
                Snapshotter.Remove(key);
            }
            lease.Add(LeaseResource.Snapshot(Snapshotter.Name, name));
        }
    }
}
