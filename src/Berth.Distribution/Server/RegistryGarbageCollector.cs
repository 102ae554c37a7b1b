using Berth.Oci;

namespace Berth.Distribution.Server;

/// <summary>What a collection removed.</summary>
public sealed record RegistryGcResult(IReadOnlyList<Digest> RemovedBlobs, long RemovedBytes, int RemovedLinks);

/// <summary>
/// Mark and sweep over the registry's files: every manifest revision of every repository is a root, and marks
/// itself, its config and layers, and (an index) its manifests; every blob left unmarked goes, and the repository
/// links to it. Uploads in progress are ingests, never blobs, so a collection cannot touch them; a blob younger
/// than <c>grace</c> is kept, since a push uploads its layers before the manifest that refers to them.
/// </summary>
public static class RegistryGarbageCollector
{
    /// <param name="grace">0 offline (nothing is being pushed); online, longer than a push takes between its layers and its manifest.</param>
    public static RegistryGcResult Collect(RegistryStorage storage, TimeSpan grace, Action<string>? log = null)
    {
        var marked = new HashSet<Digest>();
        foreach (var (repository, digest, mediaType) in storage.AllRevisions())
        {
            marked.Add(digest);
            byte[] bytes;
            try
            {
                using var stream = storage.Content.OpenRead(digest);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            catch (Images.StoreException)
            {
                log?.Invoke($"{repository}@{digest}: the manifest's blob is missing; what it refers to is not kept for it");
                continue;
            }
            try
            {
                var check = ManifestCheck.Parse(mediaType, bytes);
                foreach (var blob in check.Blobs)
                    marked.Add(blob.Digest);
                foreach (var child in check.Manifests)
                    marked.Add(child.Digest);
            }
            catch (RegistryException e)
            {
                log?.Invoke($"{repository}@{digest}: {e.Message}; what it refers to is not kept for it");
            }
        }

        var cutoff = DateTimeOffset.UtcNow - grace;
        var removed = new List<Digest>();
        long bytesRemoved = 0;
        foreach (var blob in storage.Content.List().ToList())
        {
            if (marked.Contains(blob.Digest) || blob.CreatedAt > cutoff)
                continue;
            if (storage.Content.Delete(blob.Digest))
            {
                removed.Add(blob.Digest);
                bytesRemoved += blob.Size;
            }
        }

        int links = 0;
        foreach (string repository in storage.RepositoryNamesWith("_layers"))
        {
            foreach (var (digest, path) in storage.LayerLinks(repository))
            {
                if (!marked.Contains(digest) && storage.Content.Info(digest) is null && RegistryStorage.DeleteFile(path))
                    links++;
            }
        }
        return new RegistryGcResult(removed, bytesRemoved, links);
    }
}
