using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

public static partial class ArchiveReader
{
    const string ImageNameAnnotation = "io.containerd.image.name";
    const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    const int MaxIndexDepth = 4;

    /// <summary>
    /// Every entry of index.json: a manifest (kept when its platform, if given, matches) or an index (the best manifest
    /// for the platform, as containerd picks it). Entries that are not images (artifacts) are left out.
    /// </summary>
    static List<LoadedImage> ReadOciLayout(ArchiveRoot root, Platform? platform)
    {
        var matcher = platform is null ? PlatformMatcher.Default : PlatformMatcher.Only(platform);
        var index = ReadDocument<ImageIndex>(root.ReadAll(ArchivePlan.IndexFile, DocumentLimit, ArchivePlan.IndexFile), ArchivePlan.IndexFile);
        var images = new List<LoadedImage>();
        bool platformMissed = false;
        foreach (var entry in index.Manifests ?? [])
        {
            if (MediaTypes.IsManifest(entry.MediaType) && entry.Platform is { } p && !matcher.Match(p))
            {
                platformMissed = true;
                continue;
            }
            var manifest = ResolveManifest(root, entry, matcher, ArchivePlan.IndexFile, depth: 0);
            if (manifest is null)
                continue;
            if (LoadImage(root, manifest.Value.Manifest, manifest.Value.What) is { } image)
                images.Add(image with { RepoTags = TagsOf(entry) });
        }
        if (images.Count == 0)
        {
            throw platformMissed
                ? StoreException.NotFound($"invalid archive: the OCI layout has no image for platform {matcher.Platforms.FirstOrDefault()}")
                : StoreException.Invalid("invalid archive: the OCI layout's index.json lists no image");
        }
        return Merge(images);
    }

    /// <summary>The manifest an index entry leads to for the platform; null for content that is not an image.</summary>
    static (ImageManifest Manifest, string What)? ResolveManifest(ArchiveRoot root, Descriptor entry, PlatformMatcher matcher, string what, int depth)
    {
        string name = $"{entry.MediaType} {entry.Digest}";
        if (MediaTypes.IsManifest(entry.MediaType))
        {
            var bytes = root.ReadBlob(entry.Digest, entry.Size, DocumentLimit, what);
            return (ReadDocument<ImageManifest>(bytes, $"manifest {entry.Digest}"), $"manifest {entry.Digest}");
        }
        if (!MediaTypes.IsIndex(entry.MediaType))
            return null;
        if (depth >= MaxIndexDepth)
            throw StoreException.Invalid($"invalid archive: indexes nested more than {MaxIndexDepth} deep at {name}");
        var index = ReadDocument<ImageIndex>(root.ReadBlob(entry.Digest, entry.Size, DocumentLimit, what), $"index {entry.Digest}");
        foreach (var candidate in matcher.Select(index.Manifests ?? []))
        {
            if (ResolveManifest(root, candidate, matcher, $"index {entry.Digest}", depth + 1) is { } found)
                return found;
        }
        throw StoreException.NotFound($"invalid archive: index {entry.Digest} has no image for platform {matcher.Platforms.FirstOrDefault()}");
    }

    /// <summary>An image manifest's config (verified) and layers (present, of the size named); null for an artifact.</summary>
    static LoadedImage? LoadImage(ArchiveRoot root, ImageManifest manifest, string what)
    {
        var configDescriptor = manifest.Config!;
        if (!MediaTypes.IsImageConfig(configDescriptor.MediaType))
            return null;
        var config = root.ReadBlob(configDescriptor.Digest, configDescriptor.Size, DocumentLimit, what);
        var layerDescriptors = manifest.Layers ?? [];
        ParseConfig(config, configDescriptor.Digest, layerDescriptors.Count, what);
        var layers = new List<LoadedLayer>(layerDescriptors.Count);
        foreach (var layer in layerDescriptors)
        {
            if (!MediaTypes.IsLayer(layer.MediaType))
                throw StoreException.Invalid($"invalid archive: {what}: unsupported layer media type \"{layer.MediaType}\"");
            string path = root.ResolveFile(ArchiveRoot.BlobPath(layer.Digest), what, out long size);
            if (size != layer.Size)
                throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: layer {layer.Digest} named by {what} is {size} bytes, not {layer.Size}");
            layers.Add(new LoadedLayer(path, layer.Digest, layer.MediaType));
        }
        return new LoadedImage(configDescriptor.Digest, config, layers, []);
    }

    /// <summary>
    /// The tag an index entry carries: containerd's full image name, or else a ref name that is itself a full
    /// reference (a bare tag like "latest", as skopeo writes, names no repository and gives no tag).
    /// </summary>
    static IReadOnlyList<string> TagsOf(Descriptor entry)
    {
        if (entry.Annotations is not { } annotations)
            return [];
        if (annotations.TryGetValue(ImageNameAnnotation, out var name) && FamiliarTag(name, strict: false) is { } tag)
            return [tag];
        if (annotations.TryGetValue(RefNameAnnotation, out var refName) && refName.Contains(':') && FamiliarTag(refName, strict: false) is { } refTag)
            return [refTag];
        return [];
    }

    static T ReadDocument<T>(byte[] bytes, string what)
        where T : class
    {
        try
        {
            return OciImageJson.Read<T>(bytes, what);
        }
        catch (OciFormatException e)
        {
            throw new StoreException(StoreErrorKind.InvalidArgument, $"invalid archive: {e.Message}", e);
        }
    }
}
