using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Distribution.Server;
using Berth.Http;
using Berth.Oci;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>A registry served in the test's process on 127.0.0.1 over a fresh storage directory, and a client for it.</summary>
sealed class RegistryHost : IDisposable
{
    readonly HttpServer _server;
    readonly bool _ownsRoot;

    /// <param name="around">Runs each request around the registry's handling of it (the second argument), to hold or watch it.</param>
    public RegistryHost(RegistryOptions? options = null, string? root = null, Func<HttpContext, Func<Task>, Task>? around = null)
    {
        _ownsRoot = root is null;
        Root = root ?? Path.Combine(Path.GetTempPath(), TestIds.New("registry"));
        Storage = new RegistryStorage(Root);
        Registry = new RegistryServer(Storage, options);
        _server = around is null ? new HttpServer(Registry.HandleAsync) : new HttpServer(context => around(context, () => Registry.HandleAsync(context)));
        var endpoint = _server.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), null);
        _server.StartAsync().GetAwaiter().GetResult();
        Address = endpoint.ToString();
        Client = new HttpClient { BaseAddress = new Uri($"http://{Address}") };
    }

    public string Root { get; }

    public string Address { get; }

    public RegistryStorage Storage { get; }

    public RegistryServer Registry { get; }

    public HttpClient Client { get; }

    /// <summary>Pushes a blob in one POST and returns its digest.</summary>
    public Digest PushBlob(string repository, byte[] content)
    {
        var digest = Digest.FromBytes(content);
        using var response = Client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content)).Result;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    public HttpResponseMessage PutManifest(string repository, string reference, string mediaType, string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Client.PutAsync($"/v2/{repository}/manifests/{reference}", content).Result;
    }

    /// <summary>An image manifest over a config and layers already pushed (their digests and sizes).</summary>
    public static string ImageManifest((Digest Digest, long Size) config, params (Digest Digest, long Size)[] layers) =>
        $$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config.Digest}}","size":{{config.Size}}},
         "layers":[{{string.Join(",", layers.Select(l => $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{l.Digest}}","size":{{l.Size}}}"""))}}]}
        """;

    /// <summary>Pushes a config and one layer and a manifest over them under <paramref name="tag"/>; returns the digests.</summary>
    public (Digest Manifest, Digest Config, Digest Layer) PushImage(string repository, string tag, string layerText)
    {
        byte[] config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"comment":"{{layerText}}"}""");
        byte[] layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = PushBlob(repository, config);
        var layerDigest = PushBlob(repository, layer);
        string manifest = ImageManifest((configDigest, config.Length), (layerDigest, layer.Length));
        using var response = PutManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (Digest.FromBytes(Encoding.UTF8.GetBytes(manifest)), configDigest, layerDigest);
    }

    /// <summary>The error code of a registry error body.</summary>
    public static string ErrorCode(HttpResponseMessage response)
    {
        string body = response.Content.ReadAsStringAsync().Result;
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    public void Dispose()
    {
        Client.Dispose();
        _server.StopAsync().GetAwaiter().GetResult();
        Registry.Dispose();
        if (_ownsRoot && Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
