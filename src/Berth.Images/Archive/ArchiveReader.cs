using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// Finds the images in an archive extracted by <see cref="ArchiveExtractor"/>, as <c>docker load</c> does, for any of
/// the layouts that exist: Docker's legacy save (<c>&lt;id&gt;/layer.tar</c>, <c>&lt;config hex&gt;.json</c>), Docker 25's
/// (the same <c>manifest.json</c> naming <c>blobs/</c>), both read through <c>manifest.json</c>; and a plain OCI image
/// layout (<c>index.json</c>, manifests or nested indexes, OCI or Docker schema 2 media types), where the manifest
/// for the platform is picked. Configs and the documents leading to them are verified against their digests; layers
/// are only checked to exist as regular files inside the directory (their diffIDs are verified when applied).
/// Nothing a document names can lead outside the directory (<see cref="ArchiveRoot"/>).
/// </summary>
public static partial class ArchiveReader
{
    /// <summary>Configs and manifests larger than this are refused rather than read into memory.</summary>
    internal const long DocumentLimit = 64L << 20;

    /// <param name="platform">For OCI layouts: the platform whose manifest to take from an index (default: the host's).</param>
    /// <exception cref="StoreException">InvalidArgument: not an archive, a malformed document, a missing or outside
    /// file; DataLoss: a config or manifest that does not match its digest; NotFound: no image for the platform.</exception>
    public static IReadOnlyList<LoadedImage> Read(string directory, Platform? platform = null)
    {
        using var root = ArchiveRoot.Open(directory);
        if (root.Exists(DockerArchiveJson.ManifestFile))
            return ReadDocker(root);
        if (root.Exists(ArchivePlan.IndexFile))
            return ReadOciLayout(root, platform);
        throw StoreException.Invalid("invalid archive: manifest.json not found (neither a docker save archive nor an OCI image layout with index.json)");
    }

    /// <summary>Parses a config, with its digest already verified, and checks it has one diffID per layer.</summary>
    static ImageConfig ParseConfig(byte[] config, Digest digest, int layers, string what)
    {
        ImageConfig parsed;
        try
        {
            parsed = OciImageJson.Read<ImageConfig>(config, $"config {digest}");
        }
        catch (OciFormatException e)
        {
            throw new StoreException(StoreErrorKind.InvalidArgument, $"invalid archive: {e.Message}", e);
        }
        int diffIds = parsed.RootFS?.DiffIds?.Count ?? 0;
        if (diffIds != layers)
            throw StoreException.Invalid($"invalid archive: {what}: invalid manifest, layers length mismatch: expected {diffIds}, got {layers}");
        return parsed;
    }

    /// <summary>A tag as <c>docker load</c> takes it (name:tag, no digest), in familiar form.</summary>
    static string? FamiliarTag(string text, bool strict)
    {
        if (!Reference.TryParseNormalized(text, out var reference, out string? error))
            return strict ? throw StoreException.Invalid($"invalid archive: invalid tag \"{text}\": {error}") : null;
        if (reference.Tag is null || reference.Digest is not null)
            return strict ? throw StoreException.Invalid($"invalid archive: invalid tag \"{text}\"") : null;
        return reference.FamiliarString;
    }

    /// <summary>Images listed twice (an OCI index names one manifest per tag) become one, with all their tags.</summary>
    static List<LoadedImage> Merge(List<LoadedImage> images)
    {
        var merged = new List<LoadedImage>();
        foreach (var image in images)
        {
            int i = merged.FindIndex(m => m.ConfigDigest == image.ConfigDigest);
            if (i < 0)
                merged.Add(image);
            else
                merged[i] = merged[i] with { RepoTags = [.. merged[i].RepoTags.Union(image.RepoTags, StringComparer.Ordinal)] };
        }
        return merged;
    }
}
