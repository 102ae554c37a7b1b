using System.Net;
using Berth.Distribution.Server;

namespace Berth.Distribution.Tests.Server;

/// <summary>Collection keeps every blob a manifest refers to and uploads in progress, and removes the rest.</summary>
public class GarbageCollectionTests
{
    [Fact]
    public async Task Collection_keeps_what_manifests_use_and_uploads_in_progress()
    {
        using var host = new RegistryHost(new RegistryOptions { DeleteEnabled = true });
        var kept = host.PushImage("app", "kept", "kept layer");
        var dropped = host.PushImage("app", "dropped", "dropped layer");
        var orphan = host.PushBlob("app", "never in a manifest"u8.ToArray());
        using (var start = await host.Client.PostAsync("/v2/app/blobs/uploads/", null))
        {
            var patch = new HttpRequestMessage(HttpMethod.Patch, start.Headers.Location) { Content = new ByteArrayContent(new byte[4096]) };
            using var _ = await host.Client.SendAsync(patch);
        }
        using (var delete = await host.Client.DeleteAsync($"/v2/app/manifests/{dropped.Manifest}"))
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);

        // Online with a grace period, nothing this young goes.
        Assert.Empty(host.Registry.CollectGarbage(TimeSpan.FromHours(1)).RemovedBlobs);

        var result = host.Registry.CollectGarbage(TimeSpan.Zero);

        Assert.Equal(new[] { dropped.Manifest, dropped.Config, dropped.Layer, orphan }.Order(), result.RemovedBlobs.Order());
        foreach (var digest in new[] { kept.Manifest, kept.Config, kept.Layer })
            Assert.NotNull(host.Storage.Content.Info(digest));
        using (var pull = await host.Client.GetAsync($"/v2/app/blobs/{kept.Layer}"))
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        using (var gone = await host.Client.GetAsync($"/v2/app/blobs/{orphan}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Single(host.Storage.Content.Ingests());
        Assert.False(File.Exists(Path.Combine(host.Root, "repositories", "app", "_layers", "sha256", orphan.Encoded)));
    }
}
