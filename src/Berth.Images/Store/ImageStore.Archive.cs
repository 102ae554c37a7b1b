using Berth.Images.Archive;
using Berth.Images.Layers;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>An image <see cref="ImageStore.Load"/> stored, with the names the archive gave it.</summary>
public sealed record LoadedImageResult(Image Image, IReadOnlyList<string> Tags)
{
    /// <summary>What docker load prints for it.</summary>
    public IEnumerable<string> Messages => Tags.Count == 0 ? [$"Loaded image ID: {Image.Id}"] : Tags.Select(t => $"Loaded image: {t}");
}

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker save</c>: the images <paramref name="namesOrIds"/> name into one archive. A name with
    /// a tag saves that tag, a bare repository name every tag of it, an ID the image without tags.
    /// </summary>
    public void Save(IReadOnlyList<string> namesOrIds, Stream output, ArchiveFormat format = ArchiveFormat.Docker)
    {
        var tagsById = new Dictionary<Digest, List<string>>();
        var order = new List<Image>();
        foreach (string nameOrId in namesOrIds)
        {
            foreach (var (image, tag) in SaveTargets(nameOrId))
            {
                if (!tagsById.TryGetValue(image.Id, out var tags))
                {
                    tagsById[image.Id] = tags = [];
                    order.Add(image);
                }
                if (tag is not null && !tags.Contains(tag))
                    tags.Add(tag);
            }
        }
        var images = order.Select(image => new ArchiveImage(image.Id, image.ConfigBytes,
            [.. LayersOf(image).Select(layer => new ArchiveLayer(layer.DiffId, TarSize(layer), () => OpenUncompressed(layer.Digest)))],
            tagsById[image.Id])).ToList();
        ArchiveWriter.Write(output, images, format);
    }

    /// <summary>
    /// <c>docker load</c>: every image of a <c>docker save</c> archive (any Docker version's) or an OCI
    /// image layout, with its tags. Each image is recorded in one transaction once all its blobs are
    /// stored: an interrupted load leaves no image half there.
    /// </summary>
    public IReadOnlyList<LoadedImageResult> Load(Stream archive, Platform? platform = null)
    {
        string directory = TempDirectory("load");
        try
        {
            ArchiveExtractor.Extract(archive, directory);
            var loaded = new List<LoadedImageResult>();
            foreach (var image in ArchiveReader.Read(directory, platform))
                loaded.Add(LoadImage(image));
            return loaded;
        }
        finally
        {
            Snapshots.DiskUsage.RemoveTree(directory);
        }
    }

    LoadedImageResult LoadImage(LoadedImage loaded)
    {
        var config = OciImageJson.Read<ImageConfig>(loaded.Config, $"image config {loaded.ConfigDigest}");
        var diffIds = config.RootFS?.DiffIds ?? [];
        if (diffIds.Count != loaded.Layers.Count)
            throw StoreException.Invalid($"invalid archive: image {loaded.ConfigDigest} has {loaded.Layers.Count} layers but {diffIds.Count} diffIDs");
        var names = loaded.RepoTags.Select(Reference.ParseNormalized).ToList();
        using var lease = LeaseHandle.Create(Metadata);
        var layers = new List<StoredLayer>(diffIds.Count);
        string? parent = null;
        for (int i = 0; i < diffIds.Count; i++)
        {
            layers.Add(LoadLayer(lease, loaded.Layers[i], diffIds[i], parent));
            parent = (parent is null ? diffIds[i] : ChainId.Next(Digest.Parse(parent), diffIds[i])).ToString();
        }
        var configDigest = CommitBlob(lease, "config", loaded.Config);
        if (configDigest != loaded.ConfigDigest)
            throw new StoreException(StoreErrorKind.DataLoss, $"image config digest mismatch: expected {loaded.ConfigDigest}, got {configDigest}");
        var image = AddImage(lease, configDigest, layers, names);
        Unpack(image); // the snapshots of layers that were present but never unpacked, and the config's label
        return new LoadedImageResult(image, loaded.RepoTags);
    }

    /// <summary>
    /// A layer of an archive, stored uncompressed under its diffID and unpacked over <paramref name="parent"/>
    /// in the same read, unless the store has that layer already (or cannot unpack it yet: its parent's
    /// snapshot is missing, when an earlier layer was present but never unpacked; then only stored).
    /// </summary>
    StoredLayer LoadLayer(LeaseHandle lease, LoadedLayer layer, Digest diffId, string? parent)
    {
        bool parentUnpacked;
        using (Metadata.HoldCollection())
        {
            if (Content.Info(diffId) is { } present)
            {
                lease.Add(LeaseResource.Content(diffId));
                return new StoredLayer(diffId, present.Size, MediaTypes.OciLayer, diffId);
            }
            parentUnpacked = parent is null || Metadata.Read(tx => tx.Snapshots(Snapshotter.Name).Get(parent)) is { Kind: Snapshots.SnapshotKind.Committed };
        }
        // Docker's load takes a layer.tar compressed any way its DecompressStream knows.
        using var file = ArchiveStreams.Decompress(File.OpenRead(layer.Path));
        StoredLayer stored;
        try
        {
            stored = parentUnpacked ? StoreAndUnpack(lease, file, "load", parent, diffId) : StoreLayer(lease, file, "load");
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.DataLoss)
        {
            throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: layer {layer.Path}: {e.Message}", e);
        }
        if (stored.DiffId != diffId)
            throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: layer {layer.Path}: diffID {stored.DiffId} does not match the config's {diffId}");
        return stored;
    }

    IEnumerable<(Image Image, string? Tag)> SaveTargets(string nameOrId)
    {
        if (Reference.TryParseNormalized(nameOrId, out var reference, out _) && reference.IsNameOnly && !IsIdOfAnImage(nameOrId))
        {
            var tagged = List().SelectMany(i => i.RepoTags.Select(t => (Image: i, Tag: t)))
                .Where(x => Reference.ParseNormalized(x.Tag).Name == reference.Name).ToList();
            if (tagged.Count > 0)
                return tagged.Select(x => (x.Image, (string?)x.Tag));
        }
        var image = Get(nameOrId);
        return IsIdPrefix(image.Id, nameOrId) ? [(image, null)] : [(image, Reference.ParseNormalized(nameOrId).WithDefaultTag().FamiliarString)];
    }

    bool IsIdOfAnImage(string text) => TryGet(text) is { } image && IsIdPrefix(image.Id, text);

    Stream OpenUncompressed(Digest blob) => LayerStreams.Decompress(Content.OpenRead(blob), out _);
}
