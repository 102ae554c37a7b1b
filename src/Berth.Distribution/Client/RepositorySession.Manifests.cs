using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>A manifest or index as the registry served it: bytes, digest and media type.</summary>
public sealed record FetchedManifest(byte[] Bytes, Digest Digest, string MediaType);

public sealed partial class RepositorySession
{
    /// <summary>Manifests larger than this are refused, as Docker's client refuses them (4 MiB).</summary>
    const int MaxManifestBytes = 4 << 20;

    static readonly string[] ManifestAccept =
        [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.DockerManifest, MediaTypes.OciManifest];

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: a tag or a digest. By digest, the bytes must hash to it;
    /// by tag, the digest is that of the bytes (checked against Docker-Content-Digest when the registry sends it).
    /// </summary>
    public async Task<FetchedManifest> GetManifestAsync(string reference, CancellationToken ct)
    {
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, reference), ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, $"manifest {reference}", ct).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
            throw new RegistryException(RegistryErrorKind.Invalid, $"manifest {reference} is too large ({response.Content.Headers.ContentLength} bytes)");
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var digest = Digest.FromBytes(bytes);
        if (Digest.TryParse(reference, out var wanted) && wanted != digest)
            throw new RegistryException(RegistryErrorKind.DataLoss, $"manifest verification failed for digest {wanted}");
        if (!Digest.TryParse(reference, out _) && DigestHeader(response) is { } header && header.Algorithm == Digest.Sha256 && header != digest)
            throw new RegistryException(RegistryErrorKind.DataLoss, $"manifest for {reference}: digest {digest} does not match the registry's {header}");
        string mediaType = MediaTypeOf(response.Content.Headers.ContentType?.MediaType, bytes);
        if (MediaTypes.IsSchema1(mediaType))
            throw new RegistryException(RegistryErrorKind.Invalid,
                "[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest the author of the image to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2.");
        return new FetchedManifest(bytes, digest, mediaType);
    }

    /// <summary><c>HEAD</c> of a manifest: its digest, or null when the registry has no such tag or digest.</summary>
    public async Task<Digest?> HeadManifestAsync(string reference, CancellationToken ct)
    {
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, reference), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, $"manifest {reference}", ct).ConfigureAwait(false);
        return DigestHeader(response);
    }

    /// <summary><c>PUT /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c>; returns the digest the registry gave it (that of the bytes).</summary>
    public async Task<Digest> PutManifestAsync(string reference, byte[] bytes, string mediaType, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, RepoUrl($"manifests/{reference}")) { Content = content };
        }, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, $"put manifest {reference}", ct).ConfigureAwait(false);
        return DigestHeader(response) ?? Digest.FromBytes(bytes);
    }

    /// <summary>The repository's tags (<c>GET /v2/&lt;name&gt;/tags/list</c>, following the Link header's pages).</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken ct)
    {
        var tags = new List<string>();
        Uri? next = RepoUrl("tags/list");
        while (next is not null)
        {
            var page = next;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, page), ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorAsync(response, "tags list", ct).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            tags.AddRange(JsonSerializer.Deserialize(body, RegistryJson.Default.TagList)?.Tags ?? []);
            next = NextLink(response);
        }
        return tags;
    }

    Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (string link in links)
        {
            int open = link.IndexOf('<'), close = link.IndexOf('>');
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
                return new Uri(Endpoint, link[(open + 1)..close]);
        }
        return null;
    }

    HttpRequestMessage ManifestRequest(HttpMethod method, string reference)
    {
        var request = new HttpRequestMessage(method, RepoUrl($"manifests/{reference}"));
        foreach (string type in ManifestAccept)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    /// <summary>
    /// The type of a fetched manifest: the document's own <c>mediaType</c> when it has one (registries may send a
    /// generic Content-Type), else the header, else an index when it has <c>manifests</c> (OCI allows neither).
    /// </summary>
    static string MediaTypeOf(string? header, byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } own)
                    return own;
                if (header is not null && (MediaTypes.IsIndex(header) || MediaTypes.IsManifest(header) || MediaTypes.IsSchema1(header)))
                    return header;
                if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 1)
                    return MediaTypes.DockerSchema1Manifest;
                return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            }
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"manifest is not JSON: {e.Message}", e);
        }
        throw new RegistryException(RegistryErrorKind.Invalid, "manifest is not a JSON object");
    }
}
