using System.Net;
using System.Net.Http.Headers;
using Berth.Oci;

namespace Berth.Distribution.Client;

public sealed partial class RepositorySession
{
    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> from byte <paramref name="offset"/> on (a Range request, to resume an
    /// ingest); the response body is the caller's to read and dispose. <c>Partial</c> is false when the registry
    /// ignored the range and sends the whole blob.
    /// </summary>
    public async Task<(HttpResponseMessage Response, bool Partial)> GetBlobAsync(Digest digest, long offset, CancellationToken ct)
    {
        var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, RepoUrl($"blobs/{digest}"));
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
        {
            response.Dispose();
            return await GetBlobAsync(digest, 0, ct).ConfigureAwait(false);
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
                throw await ErrorAsync(response, $"blob {digest}", ct).ConfigureAwait(false);
        }
        return (response, response.StatusCode == HttpStatusCode.PartialContent);
    }

    /// <summary><c>HEAD</c> of a blob: whether the repository has it.</summary>
    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, RepoUrl($"blobs/{digest}")), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, $"blob {digest}", ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Cross-repository mount: <c>POST /v2/&lt;name&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository&gt;</c>. True when
    /// the registry mounted it (201); false when it started an upload instead (202), which is then cancelled.
    /// </summary>
    public async Task<bool> MountBlobAsync(Digest digest, string fromRepository, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post,
            RepoUrl($"blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}")), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
            return true;
        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
        {
            using var cancel = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, new Uri(Url("v2/"), location)), ct).ConfigureAwait(false);
            return false;
        }
        return false;
    }

    /// <summary>
    /// A monolithic upload: <c>POST /v2/&lt;name&gt;/blobs/uploads/</c> for a session, then <c>PUT &lt;location&gt;?digest=</c>
    /// with the whole blob from <paramref name="open"/>; the registry verifies the digest. <paramref name="progress"/>
    /// hears the bytes sent so far.
    /// </summary>
    public async Task UploadBlobAsync(Digest digest, long size, Func<Stream> open, Action<long>? progress, CancellationToken ct)
    {
        Uri location;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, RepoUrl("blobs/uploads/")), ct).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
                throw await ErrorAsync(start, $"start upload of {digest}", ct).ConfigureAwait(false);
            location = new Uri(RepoUrl("blobs/uploads/"), start.Headers.Location);
        }
        var put = new UriBuilder(location);
        string query = put.Query.TrimStart('?');
        put.Query = (query.Length > 0 ? query + "&" : "") + "digest=" + Uri.EscapeDataString(digest.ToString());
        using var response = await SendAsync(() =>
        {
            var content = new StreamContent(new Images.Store.ReadProgressStream(open(), progress, ownsSource: true), 1 << 16);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = size;
            return new HttpRequestMessage(HttpMethod.Put, put.Uri) { Content = content };
        }, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await ErrorAsync(response, $"upload {digest}", ct).ConfigureAwait(false);
    }
}
