using System.Net;
using Berth.Distribution.Server;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>A registry serving as a pull-through cache of another: misses fetched and kept, tags asked afresh, pushes refused.</summary>
public class PullThroughCacheTests
{
    [Fact]
    public async Task A_cache_fetches_what_it_lacks_keeps_it_and_serves_it_when_the_remote_is_gone()
    {
        var upstream = new RegistryHost();
        try
        {
            var image = upstream.PushImage("library/app", "latest", "layer from upstream");
            using var cache = new RegistryHost(new RegistryOptions { ProxyRemote = new Uri($"http://{upstream.Address}") });

            using (var manifest = await cache.Client.GetAsync("/v2/library/app/manifests/latest"))
            {
                Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
                Assert.Equal(image.Manifest.ToString(), manifest.Headers.GetValues("Docker-Content-Digest").Single());
            }
            Assert.Equal("layer from upstream", await cache.Client.GetStringAsync($"/v2/library/app/blobs/{image.Layer}"));
            Assert.NotNull(cache.Storage.Content.Info(image.Layer));

            // The tag moves upstream: the cache follows it.
            var moved = upstream.PushImage("library/app", "latest", "a newer layer");
            using (var again = await cache.Client.GetAsync("/v2/library/app/manifests/latest"))
                Assert.Equal(moved.Manifest.ToString(), again.Headers.GetValues("Docker-Content-Digest").Single());

            using (var missing = await cache.Client.GetAsync("/v2/library/app/manifests/nope"))
                Assert.Equal("MANIFEST_UNKNOWN", RegistryHost.ErrorCode(missing));
            using (var push = await cache.Client.PostAsync("/v2/library/app/blobs/uploads/", null))
                Assert.Equal("UNSUPPORTED", RegistryHost.ErrorCode(push));

            // The remote goes away: what was fetched is still served, the tag as last seen.
            upstream.Dispose();
            upstream = null;
            using (var offline = await cache.Client.GetAsync("/v2/library/app/manifests/latest"))
                Assert.Equal(moved.Manifest.ToString(), offline.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal("layer from upstream", await cache.Client.GetStringAsync($"/v2/library/app/blobs/{image.Layer}"));
            using var never = await cache.Client.GetAsync($"/v2/library/app/blobs/{moved.Layer}");
            Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        }
        finally
        {
            upstream?.Dispose();
        }
    }

    [Fact]
    public void Docker_pulls_through_a_cache_started_by_the_command_line()
    {
        using var upstream = new BerthRegistry();
        using var docker = new DockerDaemon();
        string original = $"{upstream.Address}/library/busybox:cached";
        docker.Cli("tag", DockerDaemon.Image, original).EnsureSuccess("docker tag");
        docker.Cli("push", original).EnsureSuccess("docker push to the remote");

        using var cache = new BerthRegistry("--proxy-remote-url", $"http://{upstream.Address}");
        string through = $"{cache.Address}/library/busybox:cached";
        docker.Cli("pull", through).EnsureSuccess("docker pull through the cache");
        Assert.Equal("through the cache", docker.Run("--rm", through, "echo", "through the cache").EnsureSuccess("docker run").Stdout.Trim());
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(cache.Root, "content", "blobs", "sha256")));
    }
}
