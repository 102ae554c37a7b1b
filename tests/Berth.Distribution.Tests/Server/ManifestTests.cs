using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Distribution.Server;
using Berth.Oci;

namespace Berth.Distribution.Tests.Server;

/// <summary>Manifests, tags, the catalog, referrers and deletes, with the spec's codes for what is refused.</summary>
public class ManifestTests
{
    const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    [Fact]
    public async Task A_pushed_manifest_is_served_by_tag_and_digest_with_its_media_type()
    {
        using var host = new RegistryHost();
        var (manifest, _, _) = host.PushImage("library/app", "v1", "layer one");

        foreach (string reference in new[] { "v1", manifest.ToString() })
        {
            using var response = await host.Client.GetAsync($"/v2/library/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(OciManifest, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(manifest.ToString(), response.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(manifest, Digest.FromBytes((await response.Content.ReadAsByteArrayAsync())));
        }
        using var missing = await host.Client.GetAsync("/v2/library/app/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", RegistryHost.ErrorCode(missing));

        // HEAD, as clients ask whether a tag moved: the headers of the GET, no body.
        long size = (await host.Client.GetByteArrayAsync($"/v2/library/app/manifests/{manifest}")).Length;
        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/library/app/manifests/v1")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(manifest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(OciManifest, head.Content.Headers.ContentType!.MediaType);
            Assert.Equal(size, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        using var headMissing = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/library/app/manifests/v2"));
        Assert.Equal(HttpStatusCode.NotFound, headMissing.StatusCode);
    }

    [Fact]
    public async Task A_manifest_whose_blobs_are_missing_is_refused_and_nothing_is_stored()
    {
        using var host = new RegistryHost();
        var config = host.PushBlob("app", "{}"u8.ToArray());
        var absent = Digest.FromBytes("never pushed"u8);
        string manifest = RegistryHost.ImageManifest((config, 2), (absent, 12));
        using var response = host.PutManifest("app", "latest", OciManifest, manifest);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", RegistryHost.ErrorCode(response));
        Assert.Contains(absent.ToString(), (await response.Content.ReadAsStringAsync()));
        Assert.Empty(host.Storage.Tags("app")!);
        Assert.Null(host.Storage.Content.Info(Digest.FromBytes(Encoding.UTF8.GetBytes(manifest))));
    }

    [Theory]
    [InlineData("{not json", OciManifest, "MANIFEST_INVALID")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""", OciManifest, "MANIFEST_INVALID")]
    [InlineData("""{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}""", "application/vnd.docker.distribution.manifest.v1+prettyjws", "MANIFEST_INVALID")]
    public async Task A_malformed_manifest_is_refused(string body, string mediaType, string code)
    {
        using var host = new RegistryHost();
        using var response = host.PutManifest("app", "latest", mediaType, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, RegistryHost.ErrorCode(response));
    }

    [Fact]
    public async Task A_manifest_pushed_by_a_digest_that_is_not_its_own_is_refused()
    {
        using var host = new RegistryHost();
        var config = host.PushBlob("app", "{}"u8.ToArray());
        string manifest = RegistryHost.ImageManifest((config, 2));
        using var response = host.PutManifest("app", Digest.FromBytes("other"u8).ToString(), OciManifest, manifest);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", RegistryHost.ErrorCode(response));
    }

    [Fact]
    public async Task Tags_and_the_catalog_are_listed_in_pages_with_a_link_to_the_next()
    {
        using var host = new RegistryHost();
        foreach (string tag in new[] { "c", "a", "b", "d" })
            host.PushImage("paged", tag, "layer " + tag);
        host.PushImage("another/repo", "x", "x");

        using (var first = await host.Client.GetAsync("/v2/paged/tags/list?n=2"))
        {
            Assert.Equal("""{"name":"paged","tags":["a","b"]}""", (await first.Content.ReadAsStringAsync()).Trim());
            Assert.Equal("</v2/paged/tags/list?last=b&n=2>; rel=\"next\"", first.Headers.GetValues("Link").Single());
        }
        using (var second = await host.Client.GetAsync("/v2/paged/tags/list?n=2&last=b"))
        {
            Assert.Equal("""{"name":"paged","tags":["c","d"]}""", (await second.Content.ReadAsStringAsync()).Trim());
            Assert.False(second.Headers.Contains("Link"));
        }
        Assert.Equal("""{"repositories":["another/repo","paged"]}""", (await host.Client.GetStringAsync("/v2/_catalog")).Trim());
        using var unknown = await host.Client.GetAsync("/v2/nothing/tags/list");
        Assert.Equal("NAME_UNKNOWN", RegistryHost.ErrorCode(unknown));
        using var bad = await host.Client.GetAsync("/v2/paged/tags/list?n=-1");
        Assert.Equal("PAGINATION_NUMBER_INVALID", RegistryHost.ErrorCode(bad));
    }

    [Fact]
    public async Task An_index_needs_its_manifests_first()
    {
        using var host = new RegistryHost();
        var (amd64, _, _) = host.PushImage("multi", "amd64", "amd64 layer");
        long size = (await host.Client.GetByteArrayAsync($"/v2/multi/manifests/{amd64}")).Length;
        var absent = Digest.FromBytes("arm64 manifest not pushed"u8);
        string Index(Digest second) => $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"{{OciManifest}}","digest":"{{amd64}}","size":{{size}},"platform":{"architecture":"amd64","os":"linux"} },
             {"mediaType":"{{OciManifest}}","digest":"{{second}}","size":{{size}},"platform":{"architecture":"arm64","os":"linux"} }]}
            """;
        using (var refused = host.PutManifest("multi", "latest", "application/vnd.oci.image.index.v1+json", Index(absent)))
            Assert.Equal("MANIFEST_BLOB_UNKNOWN", RegistryHost.ErrorCode(refused));
        using var accepted = host.PutManifest("multi", "latest", "application/vnd.oci.image.index.v1+json", Index(amd64));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Referrers_list_the_manifests_naming_a_subject_filtered_by_artifact_type()
    {
        using var host = new RegistryHost();
        var (subject, _, _) = host.PushImage("signed", "v1", "the image");
        long subjectSize = (await host.Client.GetByteArrayAsync($"/v2/signed/manifests/{subject}")).Length;
        var empty = host.PushBlob("signed", "{}"u8.ToArray());
        var signatureLayer = host.PushBlob("signed", "signature"u8.ToArray());
        string Artifact(string type) => $$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","artifactType":"{{type}}",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{empty}}","size":2},
             "layers":[{"mediaType":"application/octet-stream","digest":"{{signatureLayer}}","size":9}],
             "subject":{"mediaType":"{{OciManifest}}","digest":"{{subject}}","size":{{subjectSize}}},
             "annotations":{"org.example.kind":"{{type}}"} }
            """;
        string signature = Artifact("application/vnd.example.signature");
        using (var put = host.PutManifest("signed", Digest.FromBytes(Encoding.UTF8.GetBytes(signature)).ToString(), OciManifest, signature))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(subject.ToString(), put.Headers.GetValues("OCI-Subject").Single());
        }
        string sbom = Artifact("application/vnd.example.sbom");
        using (host.PutManifest("signed", Digest.FromBytes(Encoding.UTF8.GetBytes(sbom)).ToString(), OciManifest, sbom)) { }

        using (var all = await host.Client.GetAsync($"/v2/signed/referrers/{subject}"))
        {
            Assert.Equal("application/vnd.oci.image.index.v1+json", all.Content.Headers.ContentType!.MediaType);
            using var index = JsonDocument.Parse((await all.Content.ReadAsStringAsync()));
            var types = index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("artifactType").GetString()).Order().ToList();
            Assert.Equal(["application/vnd.example.sbom", "application/vnd.example.signature"], types);
        }
        using (var filtered = await host.Client.GetAsync($"/v2/signed/referrers/{subject}?artifactType=application/vnd.example.sbom"))
        {
            Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
            using var index = JsonDocument.Parse((await filtered.Content.ReadAsStringAsync()));
            var only = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
            Assert.Equal("application/vnd.example.sbom", only.GetProperty("annotations").GetProperty("org.example.kind").GetString());
        }
        using var none = await host.Client.GetAsync($"/v2/signed/referrers/{signatureLayer}");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Contains("\"manifests\":[]", (await none.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Deletes_are_refused_unless_enabled_and_then_remove_the_manifest_with_its_tags()
    {
        using (var closed = new RegistryHost())
        {
            var (digest, _, _) = closed.PushImage("app", "v1", "x");
            using var refused = await closed.Client.DeleteAsync($"/v2/app/manifests/{digest}");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
            Assert.Equal("UNSUPPORTED", RegistryHost.ErrorCode(refused));
        }
        using var host = new RegistryHost(new RegistryOptions { DeleteEnabled = true });
        var (manifest, _, layer) = host.PushImage("app", "v1", "x");
        host.PushImage("app", "other", "y");
        using (var tagOnly = await host.Client.DeleteAsync("/v2/app/manifests/other"))
            Assert.Equal(HttpStatusCode.Accepted, tagOnly.StatusCode);
        Assert.Equal(["v1"], host.Storage.Tags("app")!);
        using (var deleted = await host.Client.DeleteAsync($"/v2/app/manifests/{manifest}"))
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Empty(host.Storage.Tags("app")!);
        using (var gone = await host.Client.GetAsync($"/v2/app/manifests/{manifest}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var blob = await host.Client.DeleteAsync($"/v2/app/blobs/{layer}"))
            Assert.Equal(HttpStatusCode.Accepted, blob.StatusCode);
        using var blobGone = await host.Client.GetAsync($"/v2/app/blobs/{layer}");
        Assert.Equal(HttpStatusCode.NotFound, blobGone.StatusCode);
    }

    [Fact]
    public async Task A_read_only_registry_serves_pulls_and_refuses_pushes()
    {
        string root = Path.Combine(Path.GetTempPath(), Berth.TestSupport.TestIds.New("registry"));
        try
        {
            Digest manifest;
            using (var writable = new RegistryHost(root: root))
                manifest = writable.PushImage("app", "v1", "x").Manifest;
            using var host = new RegistryHost(new RegistryOptions { ReadOnly = true }, root);
            using (var pull = await host.Client.GetAsync("/v2/app/manifests/v1"))
                Assert.Equal(manifest.ToString(), pull.Headers.GetValues("Docker-Content-Digest").Single());
            using var push = await host.Client.PostAsync("/v2/app/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
            Assert.Equal("UNSUPPORTED", RegistryHost.ErrorCode(push));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
    [Fact]
    public async Task Health_and_metrics_tell_how_the_registry_is_doing()
    {
        using var host = new RegistryHost();
        var image = host.PushImage("app", "v1", "twelve bytes");
        using (await host.Client.GetAsync("/v2/app/manifests/nope")) { }
        await host.Client.GetByteArrayAsync($"/v2/app/manifests/v1");

        Assert.Contains("\"status\":\"ok\"", await host.Client.GetStringAsync("/health"));
        string metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("berth_registry_http_requests_total{method=\"GET\",code=\"404\"} 1", metrics);
        Assert.Contains("berth_registry_http_requests_total{method=\"PUT\",code=\"201\"} 1", metrics);
        Assert.Contains("berth_registry_http_requests_total{method=\"POST\",code=\"201\"} 2", metrics);
        // The config blob and the layer: what was uploaded, in bytes.
        long uploaded = host.Storage.Content.Info(image.Config)!.Size + "twelve bytes".Length;
        Assert.Contains($"berth_registry_blob_bytes_received_total {uploaded}\n", metrics);
        Assert.Contains("process_resident_memory_bytes ", metrics);
    }
}
