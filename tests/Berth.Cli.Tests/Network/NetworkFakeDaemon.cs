using System.Net.Sockets;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.Client;
using Berth.Cli.Tests.EndToEnd;
using Berth.TestSupport;

namespace Berth.Cli.Tests.Network;

/// <summary>
/// A fake daemon at API 1.50 with canned networks and one container, and the docker CLI beside berth against it:
/// both get the same answers, so their output and the requests they send must be the same.
/// </summary>
internal sealed class NetworkFakeDaemon : IDisposable
{
    public const string Networks = """
        [{"Name":"net10","Id":"a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2","Created":"2025-05-06T07:08:09.123456789Z","Scope":"local","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]},"Internal":true,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":{"a":"1<&>"}},
         {"Name":"net9","Id":"0000000000001111111111112222222222223333333333334444444444445555","Created":"2025-01-02T03:04:05Z","Scope":"local","Driver":"bridge","EnableIPv4":true,"EnableIPv6":true,"IPAM":{"Driver":"default","Options":null,"Config":[]},"Internal":false,"Attachable":true,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":null},
         {"Name":"bridge","Id":"9999999999998888888888887777777777776666666666665555555555554444","Created":"2025-01-02T03:04:05.5+02:00","Scope":"local","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16"}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{"com.docker.network.bridge.default_bridge":"true"},"Labels":{}},
         {"Name":"host","Id":"h0st","Created":"0001-01-01T00:00:00Z","Scope":"local","Driver":"host","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":null},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":{}}]
        """;

    public const string Container = """
        {"Id":"cccc","Name":"/web","NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],
         "9/udp":[{"HostIp":"","HostPort":"99"}],"443/tcp":null,"100/tcp":[],"1000/tcp":[{"HostIp":"127.0.0.1","HostPort":"10000"}]}}}
        """;

    public const string ContainerList = """
        [{"Id":"c1c1c1c1c1c1c1c1","Names":["/web"],"Image":"busybox","ImageID":"sha256:1111","Command":"sh","Created":0,"State":"running","Status":"Up",
          "Ports":[{"PrivatePort":80,"Type":"tcp","IP":"0.0.0.0","PublicPort":8080},{"PrivatePort":80,"Type":"tcp","IP":"::","PublicPort":8080},
                   {"PrivatePort":9000,"Type":"udp","IP":"127.0.0.1","PublicPort":9000},{"PrivatePort":9001,"Type":"udp","IP":"127.0.0.1","PublicPort":9001},
                   {"PrivatePort":7000,"Type":"tcp"},{"PrivatePort":7001,"Type":"tcp"},{"PrivatePort":7002,"Type":"tcp"},{"PrivatePort":53,"Type":"udp"},
                   {"PrivatePort":443,"Type":"tcp","IP":"0.0.0.0","PublicPort":32768}],"Labels":{},"Mounts":[]}]
        """;

    readonly FakeDaemon _daemon;
    readonly string _dockerConfig = Path.Combine(Path.GetTempPath(), TestIds.New("netcli-docker-config"));
    readonly string _docker = HostTools.Require("docker", "docker-ce-cli");

    public NetworkFakeDaemon()
    {
        Directory.CreateDirectory(_dockerConfig);
        _daemon = new FakeDaemon(HandleAsync);
    }

    // The fake serves one request per connection: "Connection: close" keeps Go's client from reusing it.
    static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    const string Close = "Connection: close\r\n";

    static Task HandleAsync(FakeRequest r, Stream s, Socket _)
    {
        if (System.Text.RegularExpressions.Regex.Replace(r.Path, @"^/v[0-9.]+", "") == "/_ping")
            return s.WriteAsync("HTTP/1.1 200 OK\r\nApi-Version: 1.50\r\nOstype: linux\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"u8.ToArray()).AsTask();
        return AnswerAsync(r, s);
    }

    static Task AnswerAsync(FakeRequest r, Stream s)
    {
        string path = System.Text.RegularExpressions.Regex.Replace(r.Path, @"^/v[0-9.]+", "");
        if (path == "/networks" && r.Method == "GET")
            return FakeDaemon.RespondAsync(s, 200, Networks, extraHeaders: Close);
        if (path == "/networks/create")
            return FakeDaemon.RespondAsync(s, 201, $"{{\"Id\":\"{new string('f', 64)}\",\"Warning\":\"\"}}", reason: "Created", extraHeaders: Close);
        if (path == "/networks/prune")
            return FakeDaemon.RespondAsync(s, 200, """{"NetworksDeleted":["n1","n2"]}""", extraHeaders: Close);
        if (path.StartsWith("/networks/", StringComparison.Ordinal))
        {
            string name = path.Split('/')[2];
            var network = JsonNode.Parse(Networks)!.AsArray().FirstOrDefault(n => (string)n!["Name"]! == name || ((string)n!["Id"]!).StartsWith(name, StringComparison.Ordinal));
            if (network is null)
                return FakeDaemon.RespondAsync(s, 404, $"{{\"message\":\"network {name} not found\"}}", reason: "Not Found", extraHeaders: Close);
            if (r.Method == "GET")
                return FakeDaemon.RespondAsync(s, 200, network.ToJsonString(Unescaped), extraHeaders: Close);
            return r.Method == "DELETE" ? FakeDaemon.RespondAsync(s, 204, "", reason: "No Content") : FakeDaemon.RespondAsync(s, 200, "", extraHeaders: Close);
        }
        if (path == "/containers/create")
            return FakeDaemon.RespondAsync(s, 201, $"{{\"Id\":\"{new string('c', 64)}\",\"Warnings\":[]}}", reason: "Created", extraHeaders: Close);
        if (path == "/containers/json")
            return FakeDaemon.RespondAsync(s, 200, ContainerList, extraHeaders: Close);
        if (path.StartsWith("/containers/", StringComparison.Ordinal) && path.EndsWith("/json", StringComparison.Ordinal))
            return FakeDaemon.RespondAsync(s, 200, Container, extraHeaders: Close);
        return FakeDaemon.RespondAsync(s, 404, "{\"message\":\"page not found\"}", reason: "Not Found", extraHeaders: Close);
    }

    /// <summary>The requests since the last call (pings left out), as (method, path without the version, body).</summary>
    public List<(string Method, string Target, string Body)> TakeRequests()
    {
        var all = _daemon.Requests.Skip(_taken).ToList();
        _taken += all.Count;
        return all.Select(r => (r.Method, System.Text.RegularExpressions.Regex.Replace(r.Target, @"^/v[0-9.]+", ""), r.BodyText))
            .Where(r => !r.Item2.StartsWith("/_ping", StringComparison.Ordinal)).ToList();
    }

    int _taken;

    public CommandResult Docker(string[] args, string? stdin = null) =>
        ProcessRunner.Run(_docker, ["--host", "unix://" + _daemon.Socket, .. args], stdin: stdin ?? "",
            environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = _dockerConfig });

    public CommandResult Berth(string[] args, string? stdin = null)
    {
        var run = TestCli.Run(args, _daemon.Environment, stdin ?? "");
        return new CommandResult(run.ExitCode, run.Stdout, run.Stderr);
    }

    /// <summary>Runs docker then berth with <paramref name="args"/>; asserts the same status, output and requests.</summary>
    public void AssertSame(string[] args, string? stdin = null, Func<string, JsonNode?, JsonNode?>? bodyPart = null)
    {
        TakeRequests();
        var expected = Docker(args, stdin);
        var dockerRequests = TakeRequests();
        var actual = Berth(args, stdin);
        var berthRequests = TakeRequests();
        string what = string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode,
            $"{what}: docker exited {expected.ExitCode}, berth {actual.ExitCode}\ndocker: {expected.Stdout}{expected.Stderr}\nberth: {actual.Stdout}{actual.Stderr}");
        Assert.Equal(BerthCli.AsBerth(expected.Stdout), actual.Stdout);
        Assert.Equal(BerthCli.AsBerth(expected.Stderr), actual.Stderr);
        Assert.Equal(dockerRequests.Select(r => r.Method + " " + r.Target), berthRequests.Select(r => r.Method + " " + r.Target));
        foreach (var (d, b) in dockerRequests.Zip(berthRequests))
        {
            if (d.Body.Length == 0 && b.Body.Length == 0)
                continue;
            var dockerBody = JsonNode.Parse(d.Body);
            var berthBody = JsonNode.Parse(b.Body);
            if (bodyPart is not null)
            {
                dockerBody = bodyPart(d.Target, dockerBody);
                berthBody = bodyPart(b.Target, berthBody);
            }
            if (!JsonNode.DeepEquals(dockerBody, berthBody))
                Assert.Fail($"{what}: {d.Method} {d.Target} body differs\ndocker {dockerBody?.ToJsonString()}\nberth  {berthBody?.ToJsonString()}");
        }
    }

    public void Dispose()
    {
        _daemon.Dispose();
        Directory.Delete(_dockerConfig, recursive: true);
    }
}
