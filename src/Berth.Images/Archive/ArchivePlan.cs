using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// Everything an archive will hold, decided before a byte is written: the blobs once each, sorted by digest (the
/// order in which Go's archive walk of Docker's temporary directory finds them), and the small files with their bytes.
/// Making the plan checks the input, so that a wrong image fails before the output is touched.
/// </summary>
internal sealed class ArchivePlan
{
    public const string IndexFile = "index.json";
    public const string LayoutFile = "oci-layout";

    /// <summary>A blob: small documents carry their bytes, layers are streamed when written.</summary>
    public sealed record Blob(Digest Digest, ReadOnlyMemory<byte>? Bytes, ArchiveLayer? Layer);

    /// <summary>Blobs keyed by "algorithm/encoded": ordinal order is the archive's order.</summary>
    public SortedDictionary<string, Blob> Blobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Top-level files by name (ordinal order is the archive's order).</summary>
    public SortedDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public static ArchivePlan Make(IReadOnlyList<ArchiveImage> images, ArchiveFormat format)
    {
        var plan = new ArchivePlan();
        var index = new List<Descriptor>();
        var items = new List<DockerManifestItem>();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        var seenImages = new HashSet<Digest>();
        var seenTags = new HashSet<string>(StringComparer.Ordinal);

        foreach (var image in images)
        {
            if (!seenImages.Add(image.ConfigDigest))
                throw StoreException.Invalid($"archive: image {image.ConfigDigest} is listed twice");
            var config = CheckConfig(image);
            var tags = Tags(image, seenTags);

            plan.AddBlob(image.ConfigDigest, image.Config);
            var layerDescriptors = new List<Descriptor>(image.Layers.Count);
            foreach (var layer in image.Layers)
            {
                plan.AddLayer(layer);
                layerDescriptors.Add(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = layer.DiffId, Size = layer.Size });
            }

            // The OCI manifest Docker 25 writes for an image saved from its graph-driver store.
            var manifest = OciImageJson.Write(new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = image.ConfigDigest, Size = image.Config.Length },
                Layers = layerDescriptors,
            });
            var manifestDigest = Digest.FromBytes(manifest);
            plan.AddBlob(manifestDigest, manifest);
            var entry = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest, Size = manifest.Length };
            if (tags.Count == 0)
            {
                // Docker 25.0.3 and later list an untagged image with its platform and no name.
                index.Add(entry with { Platform = new Platform { OS = config.OS, Architecture = config.Architecture, Variant = config.Variant } });
            }
            foreach (var tag in tags)
            {
                index.Add(entry with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        ["io.containerd.image.name"] = tag.ToString(),
                        ["org.opencontainers.image.ref.name"] = tag.Tag!,
                    },
                });
                if (image.Layers.Count > 0)
                {
                    if (!repositories.TryGetValue(tag.FamiliarName, out var byTag))
                        repositories[tag.FamiliarName] = byTag = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    byTag[tag.Tag!] = image.Layers[^1].DiffId.Encoded;
                }
            }
            items.Add(new DockerManifestItem(BlobPath(image.ConfigDigest), [.. tags.Select(t => t.FamiliarString)],
                [.. image.Layers.Select(l => BlobPath(l.DiffId))]));
        }

        plan.Files[IndexFile] = OciImageJson.Write(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = index });
        plan.Files[LayoutFile] = DockerArchiveJson.OciLayoutContent.ToArray();
        if (format == ArchiveFormat.Docker)
        {
            plan.Files[DockerArchiveJson.ManifestFile] = DockerArchiveJson.WriteManifest(items);
            if (repositories.Count > 0)
                plan.Files[DockerArchiveJson.RepositoriesFile] = DockerArchiveJson.WriteRepositories(repositories);
        }
        return plan;
    }

    /// <summary>blobs/&lt;algorithm&gt;/&lt;encoded&gt;, the path both layouts use.</summary>
    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    void AddBlob(Digest digest, ReadOnlyMemory<byte> bytes) => Blobs.TryAdd(Key(digest), new Blob(digest, bytes, null));

    void AddLayer(ArchiveLayer layer)
    {
        if (Blobs.TryGetValue(Key(layer.DiffId), out var existing))
        {
            if (existing.Layer is { } other && other.Size != layer.Size)
                throw StoreException.Invalid($"archive: layer {layer.DiffId} is given with two sizes, {other.Size} and {layer.Size}");
            return;
        }
        if (layer.Size < 0)
            throw StoreException.Invalid($"archive: layer {layer.DiffId} has a negative size");
        Blobs.Add(Key(layer.DiffId), new Blob(layer.DiffId, null, layer));
    }

    static string Key(Digest digest) => digest.Algorithm + "/" + digest.Encoded;

    /// <summary>The config must be what its digest says and list exactly the layers given.</summary>
    static ImageConfig CheckConfig(ArchiveImage image)
    {
        var actual = Digest.FromBytes(image.Config.Span);
        if (actual != image.ConfigDigest)
            throw StoreException.Invalid($"archive: the config of image {image.ConfigDigest} has digest {actual}");
        ImageConfig config;
        try
        {
            config = OciImageJson.Read<ImageConfig>(image.Config.Span, $"config {image.ConfigDigest}");
        }
        catch (OciFormatException e)
        {
            throw new StoreException(StoreErrorKind.InvalidArgument, $"archive: {e.Message}", e);
        }
        var diffIds = config.RootFS?.DiffIds ?? [];
        if (!diffIds.SequenceEqual(image.Layers.Select(l => l.DiffId)))
            throw StoreException.Invalid($"archive: the layers given for image {image.ConfigDigest} are not its rootfs.diff_ids");
        return config;
    }

    /// <summary>Tags as <c>docker save</c> records them: name:tag only, each naming one image.</summary>
    static List<Reference> Tags(ArchiveImage image, HashSet<string> seen)
    {
        var tags = new List<Reference>(image.RepoTags.Count);
        foreach (var text in image.RepoTags)
        {
            var reference = Reference.ParseNormalized(text);
            if (reference.Tag is null || reference.Digest is not null)
                throw StoreException.Invalid($"archive: invalid tag \"{text}\": an archive records name:tag references only");
            if (!seen.Add(reference.ToString()))
            {
                if (tags.Contains(reference))
                    continue;
                throw StoreException.Invalid($"archive: tag \"{text}\" is given to two images");
            }
            tags.Add(reference);
        }
        return tags;
    }
}
