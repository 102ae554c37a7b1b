using System.Text;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Distribution.Server;

/// <summary>
/// The registry's files. One content-addressed store holds every repository's blobs and manifests (pushed once,
/// shared by all), and uploads in progress as its ingests; repositories only hold links, as distribution's do:
/// <code>
/// content/                                               blobs/&lt;alg&gt;/&lt;hex&gt;, ingest/ (uploads)
/// repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;               the blob belongs to the repository (empty)
/// repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   a manifest of the repository: its media type
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;             the digest the tag points at
/// repositories/&lt;name&gt;/_referrers/&lt;subject&gt;/&lt;digest&gt;     a manifest naming &lt;subject&gt;: its descriptor (JSON)
/// repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;                  an upload in progress into the repository
/// </code>
/// Every link is written whole (a temporary file renamed into place), so a crash leaves old or new, never half.
/// A blob is visible in a repository only when it is both linked there and present in the store.
/// </summary>
public sealed partial class RegistryStorage
{
    const string Repositories = "repositories";

    readonly string _repositories;

    public RegistryStorage(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Content = new FileContentStore(Path.Combine(Root, "content"));
        _repositories = Path.Combine(Root, Repositories);
        Directory.CreateDirectory(_repositories);
    }

    public string Root { get; }

    /// <summary>Blobs and manifests of every repository, by digest; uploads are its ingests.</summary>
    public FileContentStore Content { get; }

    internal string RepositoryPath(string name) => Path.Combine(_repositories, name);

    static string DigestPath(Digest digest) => Path.Combine(digest.Algorithm, digest.Encoded);

    /// <summary>A digest as one path component (referrer entries).</summary>
    static string DigestName(Digest digest) => digest.Algorithm + "-" + digest.Encoded;

    string LayerLink(string repository, Digest digest) => Path.Combine(RepositoryPath(repository), "_layers", DigestPath(digest));

    string RevisionLink(string repository, Digest digest) => Path.Combine(RepositoryPath(repository), "_manifests", "revisions", DigestPath(digest));

    string TagsPath(string repository) => Path.Combine(RepositoryPath(repository), "_manifests", "tags");

    string ReferrersPath(string repository, Digest subject) => Path.Combine(RepositoryPath(repository), "_referrers", DigestName(subject));

    internal string UploadMarker(string repository, string uuid) => Path.Combine(RepositoryPath(repository), "_uploads", uuid);

    /// <summary>Every upload marker of every repository: its uuid and path.</summary>
    internal IEnumerable<(string Uuid, string Path)> UploadMarkers()
    {
        if (!Directory.Exists(_repositories))
            yield break;
        foreach (string uploads in Directory.EnumerateDirectories(_repositories, "_uploads", SearchOption.AllDirectories))
        {
            foreach (string marker in Directory.EnumerateFiles(uploads))
                yield return (System.IO.Path.GetFileName(marker), marker);
        }
    }

    /// <summary>Size of a blob of the repository, or null when it is not linked there or not in the store.</summary>
    public long? BlobSize(string repository, Digest digest) =>
        File.Exists(LayerLink(repository, digest)) ? Content.Info(digest)?.Size : null;

    /// <summary>Makes a blob of the store part of the repository (after an upload, a mount, a manifest's own bytes).</summary>
    public void LinkBlob(string repository, Digest digest)
    {
        WriteLink(LayerLink(repository, digest), "");
        // Young again: an online collection keeps it for its grace period, until the manifest that uses it arrives.
        try
        {
            File.SetLastWriteTimeUtc(Content.BlobPath(digest), DateTime.UtcNow);
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>False when the repository had no such blob.</summary>
    public bool UnlinkBlob(string repository, Digest digest) => DeleteFile(LayerLink(repository, digest));

    /// <summary>True when the repository exists (something was ever pushed into it and not all of it removed).</summary>
    public bool RepositoryExists(string repository) => Directory.Exists(Path.Combine(RepositoryPath(repository), "_manifests"))
        || Directory.Exists(Path.Combine(RepositoryPath(repository), "_layers"));

    internal static void WriteLink(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A dot first: no tag, digest or repository component starts with one, so listings never see it.
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, ".tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(temporary, content, Encoding.UTF8);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            DeleteFile(temporary);
            throw;
        }
    }

    internal static string? ReadLink(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal static bool DeleteFile(string path)
    {
        try
        {
            if (!File.Exists(path))
                return false;
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Blob names under a <c>&lt;alg&gt;/&lt;hex&gt;</c> tree, skipping anything that is not a digest.</summary>
    internal static IEnumerable<(Digest Digest, string Path)> DigestFiles(string directory)
    {
        if (!Directory.Exists(directory))
            yield break;
        foreach (string algorithmDir in Directory.EnumerateDirectories(directory))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (string file in Directory.EnumerateFiles(algorithmDir))
            {
                if (Path.GetFileName(file).StartsWith('.'))
                    continue;
                if (Digest.TryParse(algorithm + ":" + Path.GetFileName(file), out var digest))
                    yield return (digest, file);
            }
        }
    }
}
