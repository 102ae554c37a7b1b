using System.Text;
using Berth.Distribution.Client;
using Berth.Distribution.Tests.Server;
using Berth.Http;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Tests.Client;

/// <summary>
/// The client moves an image's layers several at a time, both ways: registries that hold each layer's transfer until
/// another is open at the same moment see two or more at once (a client that went one at a time would hold none).
/// </summary>
public sealed class ParallelTransferTests : IDisposable
{
    readonly ClientStores _stores = new();

    public void Dispose() => _stores.Dispose();

    /// <summary>Holds the requests it picks until two are open together (or a bound passes), and counts the most open at once.</summary>
    sealed class Gate(Func<HttpContext, bool> picks)
    {
        readonly TaskCompletionSource _two = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _open;
        int _most;

        public int Most => Volatile.Read(ref _most);

        public async Task Around(HttpContext context, Func<Task> next)
        {
            if (!picks(context))
            {
                await next();
                return;
            }
            int open = Interlocked.Increment(ref _open);
            for (int most = Volatile.Read(ref _most); open > most; most = Volatile.Read(ref _most))
                Interlocked.CompareExchange(ref _most, open, most);
            if (open >= 2)
                _two.TrySetResult();
            try
            {
                try
                {
                    await _two.Task.WaitAsync(TimeSpan.FromSeconds(20));
                }
                catch (TimeoutException)
                {
                    // One at a time: let it through; Most stays 1 and the test fails on it.
                }
                await next();
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }
    }

    [Fact]
    public async Task Layers_are_downloaded_and_uploaded_several_at_a_time()
    {
        string layout = Path.Combine(_stores.Root, "layout");
        Directory.CreateDirectory(layout);
        var layers = Enumerable.Range(0, 3).Select(i => OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { [$"layer{i}"] = $"layer {i}\n" })).ToList();
        var hexes = layers.Select(l => l.Layer.Digest.Encoded).ToList();
        bool IsLayer(HttpContext context) => hexes.Any(h => context.Request.RawTarget.Contains(h, StringComparison.Ordinal));

        var downloads = new Gate(context => context.Request.Method == "GET" && IsLayer(context));
        using var source = new RegistryHost(around: downloads.Around);
        string diffIds = string.Join(",", layers.Select(l => $"\"{l.DiffId}\""));
        byte[] config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[{{diffIds}}]} }""");
        var configDigest = source.PushBlob("parallel/app", config);
        foreach (var (layer, _) in layers)
            source.PushBlob("parallel/app", File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", layer.Digest.Encoded)));
        string manifest = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{{string.Join(",", layers.Select(l => OciLayoutBuilder.Descriptor(l.Layer)))}}]}
            """;
        using (var put = source.PutManifest("parallel/app", "v1", "application/vnd.oci.image.manifest.v1+json", manifest))
            Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);

        using var client = new RegistryClient(new RegistryHosts());
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized($"{source.Address}/parallel/app:v1"), PlatformMatcher.Default,
            RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(3, pulled.Image.Manifest.Layers!.Count);
        Assert.True(downloads.Most >= 2, $"at most {downloads.Most} layer download(s) open at once");

        var uploads = new Gate(context => context.Request.Method == "PUT" && context.Request.RawTarget.Contains("/blobs/uploads/", StringComparison.Ordinal) && IsLayer(context));
        using var target = new RegistryHost(around: uploads.Around);
        var name = Reference.ParseNormalized($"{target.Address}/parallel/pushed:v1");
        _stores.Target.Tag(pulled.Image.Id.ToString(), name.ToString());
        await new ImagePusher(_stores.Target, client).PushAsync(name.WithoutTagOrDigest(), "v1", RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.True(uploads.Most >= 2, $"at most {uploads.Most} layer upload(s) open at once");
        foreach (string hex in hexes)
            Assert.NotNull(target.Storage.BlobSize("parallel/pushed", new Digest(Digest.Sha256, hex)));
    }
}
