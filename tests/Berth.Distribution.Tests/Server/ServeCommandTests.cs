using System.Net;
using System.Text;
using Berth.Oci;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary><c>berth registry serve</c> with a config file, and <c>berth registry gc</c> offline.</summary>
public class ServeCommandTests
{
    static string Berth => RepoPaths.Executable("berth");

    [Fact]
    public async Task A_config_file_sets_what_flags_do_and_flags_win_over_it()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-regconf-").FullName;
        try
        {
            string config = Path.Combine(directory, "registry.json");
            File.WriteAllText(config, """
                // comments are allowed
                { "deleteEnabled": true, "accessLog": true, "readOnly": true }
                """);
            using var registry = new BerthRegistry("--config", config, "--read-only=false");
            using var client = new HttpClient { BaseAddress = new Uri($"http://{registry.Address}") };
            byte[] blob = "deleted by config"u8.ToArray();
            var digest = Digest.FromBytes(blob);
            using (var push = await client.PostAsync($"/v2/conf/blobs/uploads/?digest={digest}", new ByteArrayContent(blob)))
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            using (var delete = await client.DeleteAsync($"/v2/conf/blobs/{digest}"))
                Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
            // The access log line is written once the answer has gone: it may come a moment after the client has it.
            string line = $"DELETE /v2/conf/blobs/{digest} 202";
            Wait.Until(() => registry.Log().Contains(line, StringComparison.Ordinal), $"the access log line {line}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_upload_abandoned_for_the_purge_age_is_purged_when_the_registry_starts_unless_purging_is_off()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-regpurge-").FullName;
        string root = Path.Combine(directory, "root");
        try
        {
            string location;
            using (var first = new BerthRegistry("--root", root))
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://{first.Address}") };
                using (var start = await client.PostAsync("/v2/purge/blobs/uploads/", null))
                    location = start.Headers.Location!.ToString();
                var chunk = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[2000]) };
                using (await client.SendAsync(chunk)) { }
            }
            // Eight days later (distribution purges uploads untouched for 168h). Again before each start: a registry that
            // resumes the upload (the status request) may touch its files.
            void Age()
            {
                var old = DateTime.UtcNow - TimeSpan.FromDays(8);
                foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                    File.SetLastWriteTimeUtc(file, old);
            }
            Age();

            string off = Path.Combine(directory, "off.json");
            File.WriteAllText(off, """{ "uploadPurging": { "enabled": false } }""");
            using (var kept = new BerthRegistry("--config", off, "--root", root))
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://{kept.Address}") };
                using var status = await client.GetAsync(location);
                Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            }
            Age();
            using (var purging = new BerthRegistry("--root", root))
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://{purging.Address}") };
                Wait.Until(() => client.GetAsync(location).Result.StatusCode == HttpStatusCode.NotFound, "the abandoned upload purged at start");
                Assert.Contains("registry upload purging removed 1 uploads", purging.Log());
            }
            Assert.Empty(Directory.EnumerateDirectories(Path.Combine(root, "content", "ingest")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_config_file_with_an_unknown_key_is_refused_naming_it()
    {
        string config = Path.Combine(Path.GetTempPath(), TestIds.New("regconf") + ".json");
        File.WriteAllText(config, """{ "deleteEnable": true }""");
        try
        {
            var result = ProcessRunner.Run(Berth, ["registry", "serve", "--config", config, "--addr", "127.0.0.1:0", "--root", config + ".root"], timeout: TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(config, result.Stderr);
            Assert.Contains("deleteEnable", result.Stderr);
            Assert.False(Directory.Exists(config + ".root"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Online_collection_at_the_interval_removes_orphans_and_keeps_images_and_an_upload_in_progress()
    {
        using var registry = new BerthRegistry("--gc-interval", "1s");
        using var client = new HttpClient { BaseAddress = new Uri($"http://{registry.Address}") };
        async Task<Digest> Push(byte[] bytes)
        {
            var digest = Digest.FromBytes(bytes);
            using var response = await client.PostAsync($"/v2/online/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return digest;
        }
        string Blob(Digest digest) => Path.Combine(registry.Root, "content", "blobs", "sha256", digest.Encoded);
        var config = await Push("{}"u8.ToArray());
        var layer = await Push("kept by its manifest"u8.ToArray());
        string manifest = RegistryHost.ImageManifest((config, 2), (layer, 20));
        var put = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest));
        put.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        using (var response = await client.PutAsync("/v2/online/manifests/v1", put))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var orphan = await Push("in no manifest"u8.ToArray());
        byte[] uploading = new byte[8192];
        new Random(8).NextBytes(uploading);
        Uri upload;
        using (var start = await client.PostAsync("/v2/online/blobs/uploads/", null))
            upload = start.Headers.Location!;
        using (var patch = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, upload) { Content = new ByteArrayContent(uploading[..4096]) }))
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);

        // The server collects by itself, while serving: the orphan goes once older than the interval.
        Wait.Until(() => !File.Exists(Blob(orphan)), "the online collection of the orphan blob");
        Assert.True(File.Exists(Blob(layer)));
        Assert.True(File.Exists(Blob(config)));
        using (var pull = await client.GetAsync("/v2/online/manifests/v1"))
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        var late = Digest.FromBytes(uploading);
        using (var complete = await client.PutAsync($"{upload}?digest={late}", new ByteArrayContent(uploading[4096..])))
            Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
        Assert.Equal(uploading, await client.GetByteArrayAsync($"/v2/online/blobs/{late}"));
        Assert.Contains("registry garbage collection removed", registry.Log());
    }

    [Fact]
    public async Task Gc_offline_removes_what_no_manifest_uses()
    {
        using var registry = new BerthRegistry();
        using var client = new HttpClient { BaseAddress = new Uri($"http://{registry.Address}") };
        async Task<Digest> Push(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            var digest = Digest.FromBytes(bytes);
            using var response = await client.PostAsync($"/v2/gc/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return digest;
        }
        var config = await Push("{}");
        var layer = await Push("used");
        var orphan = await Push("unused");
        string manifest = RegistryHost.ImageManifest((config, 2), (layer, 4));
        var put = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest));
        put.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        using (var response = await client.PutAsync("/v2/gc/manifests/v1", put))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var gc = ProcessRunner.Run(Berth, ["registry", "gc", "--root", registry.Root], timeout: TimeSpan.FromSeconds(60)).EnsureSuccess("berth registry gc");

        Assert.Equal($"blob eligible for deletion: {orphan}\n1 blobs removed, 6 bytes freed\n", gc.Stdout);
        Assert.False(File.Exists(Path.Combine(registry.Root, "content", "blobs", "sha256", orphan.Encoded)));
        Assert.True(File.Exists(Path.Combine(registry.Root, "content", "blobs", "sha256", layer.Encoded)));
        var refused = ProcessRunner.Run(Berth, ["registry", "gc", "--root", registry.Root + "-nothing"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is not a registry's storage", refused.Stderr);
    }
}
