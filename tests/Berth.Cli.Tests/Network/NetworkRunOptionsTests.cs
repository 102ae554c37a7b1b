using System.Text.Json.Nodes;

namespace Berth.Cli.Tests.Network;

/// <summary>
/// run/create's network and port flags: the parts of the create body they make must be what the docker CLI sends
/// (API 1.50) for the same flags, and their errors docker's.
/// </summary>
public sealed class NetworkRunOptionsTests : IDisposable
{
    readonly NetworkFakeDaemon _daemon = new();

    public void Dispose() => _daemon.Dispose();

    static JsonNode? NetworkParts(string target, JsonNode? body)
    {
        if (!target.StartsWith("/containers/create", StringComparison.Ordinal) || body is null)
            return body;
        var host = body["HostConfig"]!;
        return new JsonObject
        {
            ["MacAddress"] = body["MacAddress"]?.DeepClone(),
            ["ExposedPorts"] = body["ExposedPorts"]?.DeepClone(),
            ["PortBindings"] = host["PortBindings"]?.DeepClone(),
            ["PublishAllPorts"] = host["PublishAllPorts"]?.DeepClone(),
            ["NetworkMode"] = host["NetworkMode"]?.DeepClone(),
            ["Links"] = host["Links"]?.DeepClone(),
            ["NetworkingConfig"] = body["NetworkingConfig"]?.DeepClone(),
        };
    }

    void Same(params string[] args) => _daemon.AssertSame(["create", .. args, "busybox"], bodyPart: NetworkParts);

    [Fact]
    public void Networks_and_endpoint_flags()
    {
        Same();
        Same("--network", "n1");
        Same("--network", "n1", "--network-alias", "a", "--ip", "10.0.0.2", "--ip6", "fd00::2", "--mac-address", "02:42:ac:11:00:02", "--link-local-ip", "169.254.0.9");
        Same("--network", "n1", "--network", "n2");
        Same("--network", "name=n1,alias=x,ip=10.0.0.3,mac-address=02:42:ac:11:00:03,driver-opt=a=b,gw-priority=3,link-local-ip=169.254.0.1", "--network", "n2");
        Same("--network", "name=N1,alias=X", "--network", "n2", "--ip", "10.0.0.4");
        Same("--mac-address", "02:42:ac:11:00:02");
        Same("--network", "host", "--mac-address", "02-42-ac-11-00-02");
        Same("--ip", "1.2.3.4");
        Same("--ip", "bad");
        Same("--network", "n1", "--link", "a:b");
        Same("--link", "a:b");
        Same("--network", "none");
        Same("--network", "container:abc");
        Same("--network", "name=");
    }

    [Fact]
    public void Network_errors()
    {
        Same("--network-alias", "a");
        Same("--network", "host", "--network-alias", "a");
        Same("--mac-address", "zz");
        Same("--network", "n1", "--network", "host");
        Same("--network", "n1", "--network", "n1");
        Same("--network", "name=n1,alias=x", "--network-alias", "y");
        Same("--network", "name=n1,ip=10.0.0.1", "--ip", "10.0.0.2");
        Same("--network", "name=n1,mac-address=zz");
        Same("--network", "foo=bar");
        Same("--network", "alias=x");
        Same("--network", "name=n1,gw-priority=x");
        Same("--network", "name=n1,driver-opt=x");
    }

    [Fact]
    public void Publish_and_expose()
    {
        Same("-p", "8080:80", "-p", "127.0.0.1:9000-9001:9000-9001/udp", "-p", "5000", "-p", "7000-7001", "-p", "[::1]:6000:6000",
            "-p", "127.0.0.1::53/udp", "-p", "8000-8010:80", "-P", "--expose", "3000-3002", "--expose", "4000/udp");
        Same("-p", "80/TCP");
        Same("-p", "0.0.0.0:8080:80/tcp");
        Same("-p", "::1:8080:80");
        Same("-p", "published=8080,target=80,protocol=udp", "-p", "target=81");
        Same("--expose", "80/xyz", "--expose", "81-81");
    }

    [Fact]
    public void Publish_and_expose_errors()
    {
        Same("-p", "1.2.3.4:80");
        Same("-p", "80/xyz");
        Same("-p", "8080-8081:80-82");
        Same("-p", "abc");
        Same("-p", "70000");
        Same("-p", "8080:abc");
        Same("-p", "8080:");
        Same("-p", "bad.ip:8080:80");
        Same("-p", "published=8080");
        Same("-p", "published=8080,x");
        Same("--expose", "abc");
        Same("--expose", "90-80");
        Same("--expose", "1:2");
    }
}
