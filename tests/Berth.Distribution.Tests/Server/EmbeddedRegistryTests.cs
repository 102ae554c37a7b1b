using System.Net;
using System.Net.Sockets;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>berthd serving a registry beside its API (--registry-addr): the docker CLI pushes to it through berthd and pulls back.</summary>
public class EmbeddedRegistryTests
{
    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Berthd_serves_a_registry_its_own_pushes_and_pulls_reach()
    {
        int port = FreePort();
        using var daemon = new BerthDaemon(["--registry-addr", $"127.0.0.1:{port}"]);
        string image = $"127.0.0.1:{port}/embedded/busybox:v1";

        daemon.Cli("tag", BerthDaemon.Image, image).EnsureSuccess("docker tag");
        daemon.Cli("push", image).EnsureSuccess("docker push to berthd's own registry");
        Assert.True(Directory.Exists(Path.Combine(daemon.DataRoot, "registry", "repositories", "embedded", "busybox", "_manifests")));

        daemon.Cli("rmi", image).EnsureSuccess("docker rmi");
        daemon.Cli("pull", image).EnsureSuccess("docker pull from berthd's own registry");
        Assert.Equal("embedded", daemon.Cli("run", "--rm", "--network", "none", image, "echo", "embedded").EnsureSuccess("docker run").Stdout.Trim());

        using var http = new HttpClient();
        Assert.Contains("embedded/busybox", await http.GetStringAsync($"http://127.0.0.1:{port}/v2/_catalog"));
    }
}
