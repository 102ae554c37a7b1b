using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>A manifest as the registry serves it: its bytes, their digest and the media type it was pushed with.</summary>
public sealed record StoredManifest(Digest Digest, string MediaType, byte[] Bytes);

public sealed partial class RegistryStorage
{
    /// <summary>The manifest a tag or digest names in the repository, or null.</summary>
    public StoredManifest? Manifest(string repository, string reference)
    {
        Digest digest;
        if (Digest.TryParse(reference, out var byDigest))
            digest = byDigest;
        else if (ReadLink(Path.Combine(TagsPath(repository), reference)) is { } target && Digest.TryParse(target.Trim(), out var tagged))
            digest = tagged;
        else
            return null;
        if (ReadLink(RevisionLink(repository, digest)) is not { } mediaType)
            return null;
        try
        {
            using var stream = Content.OpenRead(digest);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return new StoredManifest(digest, mediaType, bytes.ToArray());
        }
        catch (Images.StoreException e) when (e.Kind == Images.StoreErrorKind.NotFound)
        {
            return null; // linked, but collected or lost: as good as absent
        }
    }

    /// <summary>
    /// Stores a manifest checked by the caller: its bytes into the store, its revision (and tag) into the repository,
    /// and, when it names a subject, its descriptor among the subject's referrers.
    /// </summary>
    public void PutManifest(string repository, StoredManifest manifest, string? tag, Descriptor? referrer, Digest? subject)
    {
        using (var writer = Content.OpenWriter("manifest-" + DigestName(manifest.Digest), manifest.Digest, manifest.Bytes.Length))
        {
            if (writer is not null)
            {
                writer.Write(manifest.Bytes);
                writer.Commit();
            }
        }
        LinkBlob(repository, manifest.Digest);
        WriteLink(RevisionLink(repository, manifest.Digest), manifest.MediaType);
        if (subject is { } s && referrer is not null)
            WriteLink(Path.Combine(ReferrersPath(repository, s), DigestName(manifest.Digest)), System.Text.Encoding.UTF8.GetString(OciImageJson.Write(referrer)));
        if (tag is not null)
            WriteLink(Path.Combine(TagsPath(repository), tag), manifest.Digest.ToString());
    }

    /// <summary>Removes a manifest from the repository with every tag that points at it. False when it was not there.</summary>
    public bool DeleteManifest(string repository, Digest digest)
    {
        if (!DeleteFile(RevisionLink(repository, digest)))
            return false;
        foreach (var (tag, target) in TagTargets(repository))
        {
            if (target == digest)
                DeleteFile(Path.Combine(TagsPath(repository), tag));
        }
        string referrers = Path.Combine(RepositoryPath(repository), "_referrers");
        if (Directory.Exists(referrers))
        {
            foreach (string subject in Directory.EnumerateDirectories(referrers))
                DeleteFile(Path.Combine(subject, DigestName(digest)));
        }
        return true;
    }

    /// <summary>Removes a tag (the manifest stays, by digest). False when there was no such tag.</summary>
    public bool DeleteTag(string repository, string tag) => DeleteFile(Path.Combine(TagsPath(repository), tag));

    /// <summary>The repository's tags in lexical order, or null when the repository does not exist.</summary>
    public IReadOnlyList<string>? Tags(string repository)
    {
        if (!RepositoryExists(repository))
            return null;
        var tags = TagTargets(repository).Select(t => t.Tag).ToList();
        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    IEnumerable<(string Tag, Digest Target)> TagTargets(string repository)
    {
        string tags = TagsPath(repository);
        if (!Directory.Exists(tags))
            yield break;
        foreach (string file in Directory.EnumerateFiles(tags))
        {
            string name = Path.GetFileName(file);
            if (RepositoryName.IsTag(name) && ReadLink(file) is { } target && Digest.TryParse(target.Trim(), out var digest))
                yield return (name, digest);
        }
    }

    /// <summary>Every repository's name (those with manifests), in lexical order.</summary>
    public IReadOnlyList<string> RepositoryNames() => RepositoryNamesWith("_manifests");

    /// <summary>The names of the repositories that have <paramref name="marker"/> (<c>_manifests</c>, <c>_layers</c>).</summary>
    internal IReadOnlyList<string> RepositoryNamesWith(string marker)
    {
        var names = new List<string>();
        Walk(_repositories, "");
        names.Sort(StringComparer.Ordinal);
        return names;

        void Walk(string directory, string prefix)
        {
            foreach (string child in Directory.EnumerateDirectories(directory))
            {
                string name = Path.GetFileName(child);
                if (name.StartsWith('_'))
                    continue; // a repository's own files; components of names never start with '_'
                string full = prefix.Length == 0 ? name : prefix + "/" + name;
                if (Directory.Exists(Path.Combine(child, marker)))
                    names.Add(full);
                Walk(child, full);
            }
        }
    }

    /// <summary>Descriptors of the repository's manifests that name <paramref name="subject"/>, in digest order.</summary>
    public IReadOnlyList<Descriptor> Referrers(string repository, Digest subject)
    {
        string directory = ReferrersPath(repository, subject);
        var found = new List<Descriptor>();
        if (!Directory.Exists(directory))
            return found;
        foreach (string file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.') || ReadLink(file) is not { } json)
                continue;
            var descriptor = OciImageJson.Read<Descriptor>(System.Text.Encoding.UTF8.GetBytes(json), file);
            // A referrer deleted by digest from another path, or collected: not listed.
            if (File.Exists(RevisionLink(repository, descriptor.Digest)))
                found.Add(descriptor);
        }
        return found;
    }

    /// <summary>Every manifest revision of every repository: the roots of garbage collection.</summary>
    internal IEnumerable<(string Repository, Digest Digest, string MediaType)> AllRevisions()
    {
        foreach (string repository in RepositoryNames())
        {
            foreach (var (digest, path) in DigestFiles(Path.Combine(RepositoryPath(repository), "_manifests", "revisions")))
            {
                if (ReadLink(path) is { } mediaType)
                    yield return (repository, digest, mediaType);
            }
        }
    }

    internal IEnumerable<Digest> TaggedDigests(string repository) => TagTargets(repository).Select(t => t.Target);

    internal IEnumerable<(Digest Digest, string Path)> LayerLinks(string repository) =>
        DigestFiles(Path.Combine(RepositoryPath(repository), "_layers"));
}
