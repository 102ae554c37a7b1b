using System.Buffers;
using System.Collections.Concurrent;
using Berth.Distribution.Client;
using Berth.Images;
using Berth.Oci;

namespace Berth.Distribution.Server;

/// <summary>
/// The registry as a mirror of another (distribution's proxy mode): what clients ask for and the cache lacks is
/// fetched from the remote registry, verified and kept; tags are asked of the remote each time (they move), and
/// when it cannot be reached the cached tag is served. Clients cannot push to a cache.
/// </summary>
public sealed class PullThroughCache : IDisposable
{
    const int CopyBuffer = 1 << 17;

    readonly RegistryStorage _storage;
    readonly RegistryClient _client;
    readonly string _domain;
    readonly RegistryCredentials _credentials;
    readonly ConcurrentDictionary<Digest, SemaphoreSlim> _fetching = new();
    /// <summary>One session per repository, so that its token is reused by the requests that follow.</summary>
    readonly ConcurrentDictionary<string, RepositorySession> _sessions = new(StringComparer.Ordinal);

    /// <param name="remote">The remote registry's URL (<c>https://registry-1.docker.io</c>, <c>http://127.0.0.1:5000</c>).</param>
    public PullThroughCache(RegistryStorage storage, Uri remote, RegistryCredentials? credentials = null)
    {
        _storage = storage;
        Remote = remote;
        _domain = RegistryHosts.DomainOf(remote.ToString());
        _client = new RegistryClient(new RegistryHosts(insecure: remote.Scheme == Uri.UriSchemeHttp ? [remote.Authority] : []));
        _credentials = credentials ?? RegistryCredentials.Anonymous;
    }

    public Uri Remote { get; }

    /// <summary>The session on the remote's own URL (not a mirror, and by the scheme it was given).</summary>
    RepositorySession Session(string repository) =>
        _sessions.GetOrAdd(repository, name =>
        {
            var sessions = _client.Sessions(_domain, name, _credentials, push: false);
            return sessions.FirstOrDefault(s => s.Endpoint.Scheme == Remote.Scheme && s.Endpoint.Authority == Remote.Authority) ?? sessions[^1];
        });

    /// <summary>
    /// The manifest from the remote, now kept in the cache (tag included); null when the remote has no such manifest.
    /// A remote that cannot be reached throws <see cref="Client.RegistryException"/> (Unavailable).
    /// </summary>
    public async Task<StoredManifest?> FetchManifestAsync(string repository, string reference, CancellationToken ct)
    {
        FetchedManifest fetched;
        try
        {
            fetched = await Session(repository).GetManifestAsync(reference, ct).ConfigureAwait(false);
        }
        catch (Client.RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
        {
            return null;
        }
        var manifest = new StoredManifest(fetched.Digest, fetched.MediaType, fetched.Bytes);
        _storage.PutManifest(repository, manifest, Digest.TryParse(reference, out _) ? null : reference, referrer: null, subject: null);
        return manifest;
    }

    /// <summary>
    /// Makes the blob a blob of the repository, fetching it from the remote when the cache has none; false when the
    /// remote has none either. One fetch per blob at a time: concurrent clients wait for it and share the result.
    /// </summary>
    public async Task<bool> FetchBlobAsync(string repository, Digest digest, CancellationToken ct)
    {
        var gate = _fetching.GetOrAdd(digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_storage.Content.Info(digest) is null)
            {
                HttpResponseMessage response;
                try
                {
                    (response, _) = await Session(repository).GetBlobAsync(digest, 0, ct).ConfigureAwait(false);
                }
                catch (Client.RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
                {
                    return false;
                }
                using (response)
                    await StoreAsync(digest, response, ct).ConfigureAwait(false);
            }
            _storage.LinkBlob(repository, digest);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    async Task StoreAsync(Digest digest, HttpResponseMessage response, CancellationToken ct)
    {
        string ingest = "proxy-" + digest.Algorithm + "-" + digest.Encoded;
        var writer = _storage.Content.OpenWriter(ingest, digest);
        if (writer is not null && writer.Offset > 0)
        {
            // Left by a fetch cut off before: start over, the remote's answer is whole.
            writer.Abort();
            writer.Dispose();
            writer = _storage.Content.OpenWriter(ingest, digest);
        }
        if (writer is null)
            return; // stored meanwhile
        using var _ = writer;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            int read;
            while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                await writer.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            writer.Commit();
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.DataLoss)
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, $"{digest}: the remote registry sent other content: {e.Message}");
        }
        catch
        {
            writer.Abort();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _client.Dispose();
}
