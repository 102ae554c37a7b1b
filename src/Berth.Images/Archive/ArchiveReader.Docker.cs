using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

public static partial class ArchiveReader
{
    /// <summary><c>docker load</c>'s way: every entry of manifest.json, its config and layers by the paths it gives.</summary>
    static List<LoadedImage> ReadDocker(ArchiveRoot root)
    {
        const string what = DockerArchiveJson.ManifestFile;
        var items = DockerArchiveJson.ReadManifest(root.ReadAll(what, DocumentLimit, what));
        var images = new List<LoadedImage>(items.Count);
        foreach (var item in items)
        {
            if (item.Config.Length == 0)
                throw StoreException.Invalid("invalid archive: manifest.json has an entry without Config");
            var config = root.ReadAll(item.Config, DocumentLimit, what);
            var digest = DigestNamed(item.Config) is { } named ? named : Digest.FromBytes(config);
            ArchiveRoot.Verify(config, digest, item.Config, what);
            ParseConfig(config, digest, item.Layers.Count, $"image {digest}");

            var layers = new List<LoadedLayer>(item.Layers.Count);
            foreach (var layer in item.Layers)
            {
                string path = root.ResolveFile(layer, what, out _);
                layers.Add(new LoadedLayer(path, BlobDigest(layer), MediaTypes.DockerLayer));
            }
            var tags = item.RepoTags.Select(t => FamiliarTag(t, strict: true)!).Distinct(StringComparer.Ordinal).ToList();
            images.Add(new LoadedImage(digest, config, layers, tags));
        }
        return Merge(images);
    }

    /// <summary>The digest a config's name carries: <c>blobs/sha256/&lt;hex&gt;</c> (Docker 25) or <c>&lt;hex&gt;.json</c> (legacy).</summary>
    static Digest? DigestNamed(string path)
    {
        if (BlobDigest(path) is { } blob)
            return blob;
        if (path.EndsWith(".json", StringComparison.Ordinal) && !path.Contains('/')
            && Digest.TryParse(Digest.Sha256 + ":" + path[..^5], out var legacy))
            return legacy;
        return null;
    }

    /// <summary>The digest of a path of the form <c>blobs/&lt;algorithm&gt;/&lt;encoded&gt;</c>, else null.</summary>
    static Digest? BlobDigest(string path)
    {
        var parts = path.Split('/');
        return parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse(parts[1] + ":" + parts[2], out var digest) ? digest : null;
    }
}
