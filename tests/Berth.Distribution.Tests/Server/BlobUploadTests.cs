using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Oci;

namespace Berth.Distribution.Tests.Server;

/// <summary>Blob pushes and pulls as the distribution spec describes them: monolithic, chunked, resumed, mounted, ranged.</summary>
public class BlobUploadTests
{
    static HttpRequestMessage Patch(string location, byte[] chunk, string? range)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (range is not null)
            request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
        return request;
    }

    static async Task<string> Start(RegistryHost host, string repository)
    {
        using var response = await host.Client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
        return response.Headers.Location!.ToString();
    }

    [Fact]
    public async Task The_base_endpoint_answers_with_the_api_version()
    {
        using var host = new RegistryHost();
        using var response = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task A_monolithic_push_is_served_whole_and_in_ranges()
    {
        using var host = new RegistryHost();
        byte[] content = Encoding.ASCII.GetBytes("0123456789abcdef");
        var digest = host.PushBlob("team/app", content);

        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(16, head.Content.Headers.ContentLength);
            Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
        }
        Assert.Equal(content, (await host.Client.GetByteArrayAsync($"/v2/team/app/blobs/{digest}")));

        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(10, null);
        using (var partial = await host.Client.SendAsync(ranged))
        {
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal("abcdef", (await partial.Content.ReadAsStringAsync()));
            Assert.Equal("bytes 10-15/16", partial.Content.Headers.GetValues("Content-Range").Single());
        }
        var beyond = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/blobs/{digest}");
        beyond.Headers.Range = new RangeHeaderValue(16, null);
        using (var refused = await host.Client.SendAsync(beyond))
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);

        // Another repository does not have it, though the store does.
        using var elsewhere = await host.Client.GetAsync($"/v2/other/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", RegistryHost.ErrorCode(elsewhere));
    }

    [Fact]
    public async Task A_chunked_upload_checks_its_ranges_and_resumes_after_a_restart()
    {
        string root = Path.Combine(Path.GetTempPath(), Berth.TestSupport.TestIds.New("registry"));
        try
        {
            byte[] content = new byte[300_000];
            new Random(7).NextBytes(content);
            string location;
            using (var host = new RegistryHost(root: root))
            {
                location = await Start(host, "chunked");
                using (var first = await host.Client.SendAsync(Patch(location, content[..100_000], "0-99999")))
                {
                    Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
                    Assert.Equal("0-99999", first.Headers.GetValues("Range").Single());
                }
                // A chunk that does not continue where the upload stands is refused and changes nothing.
                using (var gap = await host.Client.SendAsync(Patch(location, content[150_000..160_000], "150000-159999")))
                {
                    Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
                    Assert.Equal("RANGE_INVALID", RegistryHost.ErrorCode(gap));
                }
            }

            // The registry restarts: the client asks where the upload stands and goes on from there.
            using (var host = new RegistryHost(root: root))
            {
                using (var status = await host.Client.GetAsync(location))
                {
                    Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
                    Assert.Equal("0-99999", status.Headers.GetValues("Range").Single());
                }
                using (var second = await host.Client.SendAsync(Patch(location, content[100_000..250_000], null)))
                    Assert.Equal("0-249999", second.Headers.GetValues("Range").Single());
                var digest = Digest.FromBytes(content);
                using (var put = await host.Client.PutAsync($"{location}?digest={digest}", new ByteArrayContent(content[250_000..])))
                {
                    Assert.Equal(HttpStatusCode.Created, put.StatusCode);
                    Assert.Equal($"/v2/chunked/blobs/{digest}", put.Headers.Location!.ToString());
                }
                Assert.Equal(content, (await host.Client.GetByteArrayAsync($"/v2/chunked/blobs/{digest}")));
                Assert.Empty(host.Storage.Content.Ingests());
                using var ended = await host.Client.GetAsync(location);
                Assert.Equal("BLOB_UPLOAD_UNKNOWN", RegistryHost.ErrorCode(ended));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    static string Uuid(string location) => location.TrimEnd('/').Split('/')[^1].Split('?')[0];

    [Fact]
    public async Task Uploads_untouched_for_the_purge_age_are_purged_and_the_others_resume()
    {
        using var host = new RegistryHost();
        string written = await Start(host, "purge");
        using ((await host.Client.SendAsync(Patch(written, new byte[1000], "0-999")))) { }
        string empty = await Start(host, "purge/deeper");
        string fresh = await Start(host, "purge");
        using ((await host.Client.SendAsync(Patch(fresh, new byte[500], "0-499")))) { }
        // Eight days old: the first two uploads' markers and the first one's bytes (distribution purges after 168h).
        var old = DateTime.UtcNow - TimeSpan.FromDays(8);
        foreach (string location in new[] { written, empty })
        {
            string uuid = Uuid(location);
            string marker = Directory.EnumerateFiles(Path.Combine(host.Root, "repositories"), uuid, SearchOption.AllDirectories).Single();
            File.SetLastWriteTimeUtc(marker, old);
            // The upload's ingest: the directory whose ref names it (its data may still be buffered by the open writer).
            foreach (string reference in Directory.EnumerateFiles(host.Root, "ref", SearchOption.AllDirectories))
            {
                string data = Path.Combine(Path.GetDirectoryName(reference)!, "data");
                if (File.ReadAllText(reference).Contains(uuid, StringComparison.Ordinal) && File.Exists(data))
                    File.SetLastWriteTimeUtc(data, old);
            }
        }

        Assert.Equal(2, host.Registry.Uploads.Purge(DateTimeOffset.UtcNow - TimeSpan.FromHours(168)));
        foreach (string location in new[] { written, empty })
        {
            using var gone = await host.Client.GetAsync(location);
            Assert.Equal("BLOB_UPLOAD_UNKNOWN", RegistryHost.ErrorCode(gone));
        }
        Assert.Equal(["upload-" + Uuid(fresh)], host.Storage.Content.Ingests().Select(i => i.Reference));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(host.Root, "repositories"), "*", SearchOption.AllDirectories));
        using (var status = await host.Client.GetAsync(fresh))
            Assert.Equal("0-499", status.Headers.GetValues("Range").Single());
        Assert.Equal(0, host.Registry.Uploads.Purge(DateTimeOffset.UtcNow - TimeSpan.FromHours(168)));
    }

    [Fact]
    public async Task A_digest_mismatch_is_refused_and_nothing_is_kept()
    {
        using var host = new RegistryHost();
        string location = await Start(host, "corrupt");
        var claimed = Digest.FromBytes("what the client meant"u8);
        using (var put = await host.Client.PutAsync($"{location}?digest={claimed}", new ByteArrayContent("what arrived"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
            Assert.Equal("DIGEST_INVALID", RegistryHost.ErrorCode(put));
        }
        Assert.Empty(host.Storage.Content.List());
        Assert.Empty(host.Storage.Content.Ingests());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(host.Root, "repositories"), "*", SearchOption.AllDirectories));
        using var blob = await host.Client.GetAsync($"/v2/corrupt/blobs/{claimed}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_nothing()
    {
        using var host = new RegistryHost();
        string location = await Start(host, "cancel");
        using ((await host.Client.SendAsync(Patch(location, new byte[1000], "0-999")))) { }
        using (var cancel = await host.Client.DeleteAsync(location))
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Empty(host.Storage.Content.Ingests());
        using var gone = await host.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_blob_is_mounted_from_another_repository_without_its_bytes()
    {
        using var host = new RegistryHost();
        var digest = host.PushBlob("source", "shared layer"u8.ToArray());
        using (var mount = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null))
        {
            Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
            Assert.Equal($"/v2/target/blobs/{digest}", mount.Headers.Location!.ToString());
        }
        Assert.Equal("shared layer", (await host.Client.GetStringAsync($"/v2/target/blobs/{digest}")));
        // A source that lacks the blob: the registry starts an ordinary upload instead.
        var missing = Digest.FromBytes("not pushed"u8);
        using var fallback = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={missing}&from=source", null);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
    }

    [Theory]
    [InlineData("/v2/Upper/blobs/uploads/")]
    [InlineData("/v2/a..b/blobs/uploads/")]
    [InlineData("/v2/-lead/blobs/uploads/")]
    public async Task An_invalid_repository_name_is_refused(string path)
    {
        using var host = new RegistryHost();
        using var response = await host.Client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("NAME_INVALID", RegistryHost.ErrorCode(response));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(host.Root, "repositories")));
    }
}
