using Berth.Distribution.Client;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Client;

/// <summary>The client's pull and push between two image stores through Debian's docker-registry on 127.0.0.1.</summary>
public sealed class PullPushClientTests : IDisposable
{
    readonly ClientStores _stores = new();
    readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var d in _owned)
            d.Dispose();
        _stores.Dispose();
    }

    DistributionRegistry Registry(string? user = null, string? password = null, RegistryTokenIssuer? tokens = null, bool tls = false)
    {
        var registry = new DistributionRegistry(user, password, tokens, tls);
        _owned.Add(registry);
        return registry;
    }

    RegistryClient Client()
    {
        var client = new RegistryClient(new RegistryHosts());
        _owned.Add(client);
        return client;
    }

    static async Task<PushResultAux> PushAsync(ImagePusher pusher, string name, RegistryCredentials? credentials = null)
    {
        var reference = Reference.ParseNormalized(name);
        return (await pusher.PushAsync(reference.WithoutTagOrDigest(), reference.Tag, credentials ?? RegistryCredentials.Anonymous, _ => { }, CancellationToken.None)).Single();
    }

    /// <summary>The gzip copy of an imported image's (uncompressed) layer that a push sent.</summary>
    Descriptor PushedLayer(Image image)
    {
        using var lease = LeaseHandle.Create(_stores.Source.Metadata);
        return _stores.Source.GzipLayer(lease, image.Manifest.Layers![0]);
    }

    [Fact]
    public async Task Push_then_pull_between_two_stores_keeps_the_image_id_and_the_manifest_digest()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/busybox:v1";
        var image = _stores.ImportBusybox(name);
        var pushed = new List<ProgressMessage>();
        var results = await new ImagePusher(_stores.Source, client).PushAsync(Reference.ParseNormalized(name).WithoutTagOrDigest(), "v1", RegistryCredentials.Anonymous, m => { lock (pushed) pushed.Add(m); }, CancellationToken.None);
        var aux = Assert.Single(results);
        Assert.NotEqual(image.ManifestDigest.ToString(), aux.Digest); // a Docker schema 2 manifest of gzip layers, as Docker pushes
        Assert.Contains(pushed, m => m.Status == "Pushed");

        var messages = new List<ProgressMessage>();
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous, m => { lock (messages) messages.Add(m); }, CancellationToken.None);
        Assert.True(pulled.Updated);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(aux.Digest, pulled.ResolvedDigest.ToString());
        Assert.Equal(MediaTypes.DockerManifest, pulled.Image.Manifest.MediaType);
        Assert.Equal(MediaTypes.DockerLayerGzip, pulled.Image.Manifest.Layers![0].MediaType);
        Assert.Contains($"{registry.Host}/client/busybox@{aux.Digest}", pulled.Image.RepoDigests);
        Assert.Contains($"{registry.Host}/client/busybox@{aux.Digest}", _stores.Source.Get(name).RepoDigests);
        Assert.Equal(["Pulling fs layer", "Downloading", "Verifying Checksum", "Download complete", "Extracting", "Pull complete"],
            messages.Where(m => m.Id == pulled.Image.Manifest.Layers![0].Digest.Encoded[..12]).Select(m => m.Status).Distinct());
        Assert.Equal($"Status: Downloaded newer image for {name}", messages[^1].Status);
        Assert.NotNull(_stores.Target.Unpack(pulled.Image));

        var again = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.False(again.Updated);
    }

    [Fact]
    public async Task An_interrupted_download_resumes_from_what_its_ingest_holds()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/resume:v1";
        var image = _stores.ImportBusybox(name);
        await PushAsync(new ImagePusher(_stores.Source, client), name);

        // What a pull killed halfway through the layer leaves behind.
        var layer = PushedLayer(image);
        byte[] whole = File.ReadAllBytes(_stores.Source.Content.BlobPath(layer.Digest));
        using (var writer = _stores.Target.Content.OpenWriter($"pull-{layer.Digest.Algorithm}-{layer.Digest.Encoded}", layer.Digest, layer.Size)!)
            writer.Write(whole.AsSpan(0, whole.Length / 2));

        var downloading = new List<long>();
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous,
            m => { if (m.Status == "Downloading") lock (downloading) downloading.Add(m.Current); }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(whole.Length / 2, downloading.FirstOrDefault()); // the first bar is where the ingest was: a Range request, not a new download
        Assert.Empty(_stores.Target.Content.Ingests());
    }

    [Fact]
    public async Task Basic_auth_needs_the_right_credentials_for_pull_push_and_login()
    {
        var registry = Registry("berth", "s3cret");
        var client = Client();
        string name = $"{registry.Host}/client/private:v1";
        _stores.ImportBusybox(name);
        var good = new RegistryCredentials("berth", "s3cret");
        var bad = new RegistryCredentials("berth", "wrong");

        var anonymous = await Assert.ThrowsAsync<RegistryException>(() => PushAsync(new ImagePusher(_stores.Source, client), name));
        Assert.Equal(RegistryErrorKind.Unauthorized, anonymous.Kind);
        await PushAsync(new ImagePusher(_stores.Source, client), name, good);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, bad, _ => { }, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Unauthorized, refused.Kind);
        Assert.Null(_stores.Target.TryGet(name));
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, good, _ => { }, CancellationToken.None);
        Assert.NotNull(_stores.Target.TryGet(name));

        await client.LoginAsync(registry.Host, good, CancellationToken.None);
        var login = await Assert.ThrowsAsync<RegistryException>(() => client.LoginAsync(registry.Host, bad, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Unauthorized, login.Kind);
        await Assert.ThrowsAsync<RegistryException>(() => client.LoginAsync(registry.Host, RegistryCredentials.Anonymous, CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_tag_is_manifest_unknown_and_leaves_nothing()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/missing:v1";
        _stores.ImportBusybox(name);
        await PushAsync(new ImagePusher(_stores.Source, client), name);
        var e = await Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_stores.Target, client).PullAsync(
            Reference.ParseNormalized($"{registry.Host}/client/missing:nope"), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
        Assert.Equal("MANIFEST_UNKNOWN", e.Code);
        Assert.Equal("manifest unknown: manifest unknown", e.Message);
        Assert.Empty(_stores.Target.List());
    }

    [Fact]
    public async Task From_an_index_the_host_s_platform_or_the_asked_one_is_pulled_and_the_index_digest_recorded()
    {
        var registry = Registry();
        var client = Client();
        string repo = $"{registry.Host}/client/multi";
        var arm = _stores.ImportBusybox($"{repo}:arm");
        var amd = _stores.ImportBusybox($"{repo}:amd");
        var armPushed = await PushAsync(new ImagePusher(_stores.Source, client), $"{repo}:arm");
        var amdPushed = await PushAsync(new ImagePusher(_stores.Source, client), $"{repo}:amd");
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                new() { MediaType = MediaTypes.DockerManifest, Digest = Digest.Parse(armPushed.Digest), Size = armPushed.Size, Platform = Platform.Parse("linux/arm64") },
                new() { MediaType = MediaTypes.DockerManifest, Digest = Digest.Parse(amdPushed.Digest), Size = amdPushed.Size, Platform = Platform.Parse("linux/amd64") },
            ],
        };
        byte[] bytes = OciImageJson.Write(index);
        var session = await RegistryClient.FirstReachableAsync(client.Sessions(registry.Host, "client/multi", RegistryCredentials.Anonymous, push: true), CancellationToken.None);
        Assert.Equal("http", session.Endpoint.Scheme); // https tried first, as for every insecure registry
        var indexDigest = await session.PutManifestAsync("multi", bytes, MediaTypes.OciIndex, CancellationToken.None);

        var puller = new ImagePuller(_stores.Target, client);
        var host = await puller.PullAsync(Reference.ParseNormalized($"{repo}:multi"), PlatformMatcher.Only(Platform.Parse("linux/amd64")), RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(amd.Id, host.Image.Id);
        Assert.Equal(indexDigest, host.ResolvedDigest);
        Assert.Contains($"{repo}@{indexDigest}", host.Image.RepoDigests);

        var asked = await puller.PullAsync(Reference.ParseNormalized($"{repo}:multi"), PlatformMatcher.Only(Platform.Parse("linux/arm64")), RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(arm.Id, asked.Image.Id);

        var none = await Assert.ThrowsAsync<RegistryException>(() => puller.PullAsync(Reference.ParseNormalized($"{repo}:multi"), PlatformMatcher.Only(Platform.Parse("linux/s390x")), RegistryCredentials.Anonymous, _ => { }, CancellationToken.None));
        Assert.Equal("no matching manifest for linux/s390x in the manifest list entries", none.Message);
    }

    [Fact]
    public async Task Concurrent_pulls_of_one_image_share_its_downloads_and_both_succeed()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/concurrent:v1";
        var image = _stores.ImportBusybox(name);
        await PushAsync(new ImagePusher(_stores.Source, client), name);
        var pulls = Enumerable.Range(0, 3).Select(_ => Task.Run(() => new ImagePuller(_stores.Target, client).PullAsync(
            Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None))).ToList();
        foreach (var result in await Task.WhenAll(pulls))
            Assert.Equal(image.Id, result.Image.Id);
        Assert.Empty(_stores.Target.Content.Ingests());
    }

    [Fact]
    public async Task The_token_flow_gets_a_token_per_scope_and_a_push_without_the_push_scope_is_refused()
    {
        using var issuer = new RegistryTokenIssuer(new()
        {
            ["writer"] = ("w-pass", ["pull", "push"]),
            ["reader"] = ("r-pass", ["pull"]),
        });
        var registry = Registry(tokens: issuer);
        var client = Client();
        string name = $"{registry.Host}/client/token:v1";
        var image = _stores.ImportBusybox(name);

        var reader = await Assert.ThrowsAsync<RegistryException>(() => PushAsync(new ImagePusher(_stores.Source, client), name, new RegistryCredentials("reader", "r-pass")));
        Assert.Equal(RegistryErrorKind.Unauthorized, reader.Kind);
        var wrong = await Assert.ThrowsAsync<RegistryException>(() => PushAsync(new ImagePusher(_stores.Source, client), name, new RegistryCredentials("writer", "nope")));
        Assert.Equal(RegistryErrorKind.Unauthorized, wrong.Kind);
        await PushAsync(new ImagePusher(_stores.Source, client), name, new RegistryCredentials("writer", "w-pass"));
        Assert.Contains("repository:client/token:pull,push", issuer.Requested);

        var anonymous = await Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_stores.Target, client).PullAsync(
            Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Unauthorized, anonymous.Kind);
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, new RegistryCredentials("reader", "r-pass"), _ => { }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Contains("repository:client/token:pull", issuer.Requested);
        await client.LoginAsync(registry.Host, new RegistryCredentials("reader", "r-pass"), CancellationToken.None);
        await Assert.ThrowsAsync<RegistryException>(() => client.LoginAsync(registry.Host, new RegistryCredentials("reader", "bad"), CancellationToken.None));
    }

    [Fact]
    public async Task A_download_cut_off_halfway_is_retried_and_resumed_where_it_stopped()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/cut:v1";
        var image = _stores.ImportBusybox(name);
        await PushAsync(new ImagePusher(_stores.Source, client), name);
        long layerSize = PushedLayer(image).Size;
        using var proxy = new CuttingProxy(registry.Port, cutAfter: layerSize / 2);

        var messages = new List<ProgressMessage>();
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized($"{proxy.Host}/client/cut:v1"), PlatformMatcher.Default,
            RegistryCredentials.Anonymous, m => { lock (messages) messages.Add(m); }, CancellationToken.None);
        Assert.True(proxy.Cut);
        Assert.Equal(image.Id, pulled.Image.Id);
        int retry = messages.FindIndex(m => m.Status == "Retrying in 5 seconds");
        Assert.True(retry > 0, string.Join("\n", messages.Select(m => $"{m.Id} {m.Status} {m.Current}")));
        var resumed = messages.Skip(retry).First(m => m.Status == "Downloading");
        Assert.InRange(resumed.Current, 1, layerSize - 1); // the first bar after the retry: the ingest's offset, not 0
        Assert.Empty(_stores.Target.Content.Ingests());
    }

    [Fact]
    public async Task A_pull_cancelled_halfway_leaves_no_image_and_the_next_pull_resumes_its_download()
    {
        var registry = Registry();
        var client = Client();
        string name = $"{registry.Host}/client/cancelled:v1";
        var image = _stores.ImportBusybox(name);
        await PushAsync(new ImagePusher(_stores.Source, client), name);
        var layer = PushedLayer(image);
        // The registry hangs just before the layer's end (the connection stays open), and the pull is cancelled once
        // part of the layer has come, as berthd cancels it when the docker CLI goes away.
        Assert.True(layer.Size > 600 << 10, $"the layer ({layer.Size} bytes) is large enough for a progress report before its end");
        using var proxy = new CuttingProxy(registry.Port, cutAfter: layer.Size - 1, stall: true);
        var through = Reference.ParseNormalized($"{proxy.Host}/client/cancelled:v1");
        using var cancel = new CancellationTokenSource();
        var pull = new ImagePuller(_stores.Target, client).PullAsync(through, PlatformMatcher.Default, RegistryCredentials.Anonymous,
            m => { if (m.Status == "Downloading" && m.Current > 0) cancel.Cancel(); }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull);

        // No image, no name, nothing half there: only the ingest, kept to be resumed.
        Assert.Null(_stores.Target.TryGet(through.ToString()));
        Assert.Empty(_stores.Target.List());
        var kept = Assert.Single(_stores.Target.Content.Ingests());
        Assert.Equal(layer.Digest, kept.Expected);
        Assert.InRange(kept.Offset, 1, layer.Size - 1);
        Assert.Null(_stores.Target.Content.Info(layer.Digest));

        var downloading = new List<long>();
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(through, PlatformMatcher.Default, RegistryCredentials.Anonymous,
            m => { if (m.Status == "Downloading") lock (downloading) downloading.Add(m.Current); }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(kept.Offset, downloading.FirstOrDefault()); // resumed where the cancelled pull stopped
        Assert.Empty(_stores.Target.Content.Ingests());
    }

    [Fact]
    public async Task A_push_cut_off_halfway_through_a_layer_fails_cleanly_and_the_next_push_completes()
    {
        using var registry = new Berth.Distribution.Tests.Server.RegistryHost();
        var client = Client();
        string direct = $"{registry.Address}/client/cut-push:v1";
        var image = _stores.ImportBusybox(direct);
        var layer = PushedLayer(image);
        using var proxy = new CuttingProxy(int.Parse(registry.Address.Split(':')[1]), cutAfter: layer.Size / 2, upstream: true);
        string name = $"{proxy.Host}/client/cut-push:v1";
        _stores.Source.Tag(image.Id.ToString(), name);

        var cut = await Assert.ThrowsAsync<RegistryException>(() => PushAsync(new ImagePusher(_stores.Source, client), name));
        Assert.True(proxy.Cut);
        Assert.Equal(RegistryErrorKind.Unavailable, cut.Kind);
        // Nothing of the image in the registry: no tag, no manifest, not the half layer; no RepoDigest recorded.
        Assert.Empty(registry.Storage.Tags("client/cut-push") ?? []);
        Assert.Null(registry.Storage.BlobSize("client/cut-push", layer.Digest));
        Assert.Null(registry.Storage.Content.Info(layer.Digest));
        Assert.Empty(_stores.Source.Get(name).RepoDigests);

        var pushed = await PushAsync(new ImagePusher(_stores.Source, client), name);
        Assert.Equal(["v1"], registry.Storage.Tags("client/cut-push")!);
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(direct), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(pushed.Digest, pulled.ResolvedDigest.ToString());
    }

    [Fact]
    public async Task Docker_hub_images_come_from_the_first_mirror_that_has_them()
    {
        var empty = Registry();
        var mirror = Registry();
        var client = Client();
        var image = _stores.ImportBusybox($"{mirror.Host}/library/mirrored:v1");
        var pushed = await PushAsync(new ImagePusher(_stores.Source, client), $"{mirror.Host}/library/mirrored:v1");

        // Docker Hub itself is a closed loopback port here: a pull that fell through every mirror fails on the machine.
        using var viaMirrors = new RegistryClient(new RegistryHosts(mirrors: [$"http://{empty.Host}", $"http://{mirror.Host}"], dockerHub: new Uri("http://127.0.0.1:9/")));
        var pulled = await new ImagePuller(_stores.Target, viaMirrors).PullAsync(Reference.ParseNormalized("mirrored:v1"), PlatformMatcher.Default,
            RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Contains("mirrored:v1", pulled.Image.RepoTags);
        Assert.Contains($"mirrored@{pushed.Digest}", pulled.Image.RepoDigests);

        var missing = await Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_stores.Target, viaMirrors).PullAsync(Reference.ParseNormalized("not-mirrored:v1"), PlatformMatcher.Default,
            RegistryCredentials.Anonymous, _ => { }, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Unavailable, missing.Kind);
    }

    [Fact]
    public async Task An_insecure_registry_serving_tls_is_reached_over_https_without_verifying_its_certificate()
    {
        var registry = Registry(tls: true);
        var client = Client();
        string name = $"{registry.Host}/client/tls:v1";
        var image = _stores.ImportBusybox(name);
        var session = await RegistryClient.FirstReachableAsync(client.Sessions(registry.Host, "client/tls", RegistryCredentials.Anonymous, push: true), CancellationToken.None);
        Assert.Equal("https", session.Endpoint.Scheme);
        await PushAsync(new ImagePusher(_stores.Source, client), name);
        var pulled = await new ImagePuller(_stores.Target, client).PullAsync(Reference.ParseNormalized(name), PlatformMatcher.Default, RegistryCredentials.Anonymous, _ => { }, CancellationToken.None);
        Assert.Equal(image.Id, pulled.Image.Id);
    }
}
