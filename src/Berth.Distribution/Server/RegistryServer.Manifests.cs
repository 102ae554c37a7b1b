using Berth.Http;
using Berth.Oci;

namespace Berth.Distribution.Server;

public sealed partial class RegistryServer
{
    async Task GetManifestAsync(HttpContext context)
    {
        string name = Repository(context, "pull");
        string reference = context.RouteValue("reference");
        var manifest = (_proxy is { } proxy ? await ThroughCacheAsync(proxy, name, reference, context.Aborted).ConfigureAwait(false) : Storage.Manifest(name, reference))
            ?? throw new RegistryException(RegistryErrorCode.ManifestUnknown, $"unknown {(reference.Contains(':') ? "digest" : "tag")}={reference}");
        context.Response.SetHeader(ContentDigestHeader, manifest.Digest.ToString());
        context.Response.SetHeader("ETag", $"\"{manifest.Digest}\"");
        await context.Response.WriteAsync(manifest.Bytes, manifest.MediaType, context.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A cache's manifest: by digest the cached one when there is one (it cannot change); by tag the remote's, which
    /// may have moved, or the cached one when the remote cannot be reached.
    /// </summary>
    async Task<StoredManifest?> ThroughCacheAsync(PullThroughCache proxy, string name, string reference, CancellationToken ct)
    {
        if (reference.Contains(':') && Storage.Manifest(name, reference) is { } cached)
            return cached;
        try
        {
            return await proxy.FetchManifestAsync(name, reference, ct).ConfigureAwait(false);
        }
        catch (Client.RegistryException e) when (e.Kind == Client.RegistryErrorKind.Unavailable)
        {
            return Storage.Manifest(name, reference);
        }
    }

    /// <summary>
    /// PUT of a manifest by tag or digest: checked (media type, body, everything it refers to present in the
    /// repository, the digest of the path), then stored with its tag; a manifest with a subject is answered with
    /// <c>OCI-Subject</c>, as spec 1.1 asks of a registry that keeps referrers.
    /// </summary>
    async Task PutManifestAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        RequireWritable();
        string reference = context.RouteValue("reference");
        Digest? pathDigest = null;
        string? tag = null;
        if (reference.Contains(':'))
            pathDigest = ParseDigest(reference, RegistryErrorCode.DigestInvalid);
        else if (RepositoryName.IsTag(reference))
            tag = reference;
        else
            throw new RegistryException(RegistryErrorCode.TagInvalid, $"invalid tag {reference}");

        byte[] bytes = await ReadBodyAsync(context, ManifestCheck.MaxSize, RegistryErrorCode.ManifestInvalid).ConfigureAwait(false);
        var check = ManifestCheck.Parse(context.Request.Headers["Content-Type"], bytes);
        var digest = pathDigest is { Algorithm: Digest.Sha512 }
            ? new Digest(Digest.Sha512, Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(bytes)))
            : Digest.FromBytes(bytes);
        if (pathDigest is { } expected && expected != digest)
            throw new RegistryException(RegistryErrorCode.DigestInvalid, $"the body's digest is {digest}, the path says {expected}");

        _collection.EnterReadLock();
        try
        {
            foreach (var blob in check.Blobs)
            {
                if (Storage.BlobSize(name, blob.Digest) is null)
                    throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, blob.Digest.ToString());
            }
            foreach (var child in check.Manifests)
            {
                if (Storage.Manifest(name, child.Digest.ToString()) is null)
                    throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, child.Digest.ToString());
            }
            Storage.PutManifest(name, new StoredManifest(digest, check.MediaType, bytes), tag,
                check.Subject is null ? null : check.Referrer(digest, bytes.Length), check.Subject?.Digest);
        }
        finally
        {
            _collection.ExitReadLock();
        }
        if (check.Subject is { } subject)
            context.Response.SetHeader("OCI-Subject", subject.Digest.ToString());
        context.Response.SetHeader("Location", $"/v2/{name}/manifests/{digest}");
        context.Response.SetHeader(ContentDigestHeader, digest.ToString());
        await EmptyAsync(context, 201).ConfigureAwait(false);
    }

    /// <summary>DELETE by digest removes the manifest and its tags; by tag, the tag alone (spec 1.1).</summary>
    Task DeleteManifestAsync(HttpContext context)
    {
        string name = Repository(context, "delete");
        RequireWritable(delete: true);
        string reference = context.RouteValue("reference");
        bool deleted = reference.Contains(':')
            ? Storage.DeleteManifest(name, ParseDigest(reference, RegistryErrorCode.DigestInvalid))
            : Storage.DeleteTag(name, reference);
        if (!deleted)
            throw new RegistryException(RegistryErrorCode.ManifestUnknown, reference);
        return EmptyAsync(context, 202);
    }
}
