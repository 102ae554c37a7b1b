using System.Net;
using Berth.Distribution.Server;
using Berth.Oci;

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
        byte[] uploading = new byte[8192];
        new Random(6).NextBytes(uploading);
        Uri upload;
        using (var start = await host.Client.PostAsync("/v2/app/blobs/uploads/", null))
        {
            upload = start.Headers.Location!;
            var patch = new HttpRequestMessage(HttpMethod.Patch, upload) { Content = new ByteArrayContent(uploading[..4096]) };
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

        // The upload in progress goes on where it stood, and its blob is there for the manifest that uses it.
        using (var status = await host.Client.GetAsync(upload))
            Assert.Equal("0-4095", status.Headers.GetValues("Range").Single());
        var late = Digest.FromBytes(uploading);
        using (var put = await host.Client.PutAsync($"{upload}?digest={late}", new ByteArrayContent(uploading[4096..])))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var config = host.PushBlob("app", "{}"u8.ToArray());
        using (var manifest = host.PutManifest("app", "late", "application/vnd.oci.image.manifest.v1+json", RegistryHost.ImageManifest((config, 2), (late, uploading.Length))))
            Assert.Equal(HttpStatusCode.Created, manifest.StatusCode);
        Assert.DoesNotContain(late, host.Registry.CollectGarbage(TimeSpan.Zero).RemovedBlobs);
        Assert.Equal(uploading, await host.Client.GetByteArrayAsync($"/v2/app/blobs/{late}"));
    }
}
