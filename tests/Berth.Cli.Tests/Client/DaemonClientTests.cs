using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Tests.Client;

/// <summary>berth's HTTP client against a fake daemon: version negotiation, paths, errors, bodies, hijacked streams.</summary>
public class DaemonClientTests
{
    static Task Default(FakeRequest r, Stream s, Socket _) => r.Path switch
    {
        "/_ping" => FakeDaemon.PingAsync(s),
        _ => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"page not found\"}"),
    };

    [Fact]
    public void Requests_use_the_version_the_daemon_names()
    {
        using var daemon = new FakeDaemon((r, s, c) => r.Path switch
        {
            "/_ping" => FakeDaemon.PingAsync(s, "1.41"),
            "/v1.41/containers/json" => FakeDaemon.RespondAsync(s, 200, "[]"),
            _ => Default(r, s, c),
        });
        var run = TestCli.Run(["ps", "-a", "-n", "2", "--filter", "label=x=y"], daemon.Environment, "");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n", run.Stdout);
        var requests = daemon.Requests;
        Assert.Equal("HEAD", requests[0].Method);
        Assert.Equal("/_ping", requests[0].Target);
        Assert.Equal("GET", requests[1].Method);
        Assert.Equal("/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%7B%22x%3Dy%22%3Atrue%7D%7D&limit=2", requests[1].Target);
        Assert.Equal("api.moby.localhost", requests[1].Headers["Host"]);
        Assert.StartsWith("Berth-Client/", requests[1].Headers["User-Agent"]);
    }

    [Theory]
    [InlineData("1.52", "/v1.50/")]
    [InlineData("", "/v1.24/")]
    [InlineData("1.44", "/v1.44/")]
    public void The_version_is_capped_at_the_clients(string daemonVersion, string prefix)
    {
        using var daemon = new FakeDaemon((r, s, c) => r.Path == "/_ping"
            ? s.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{(daemonVersion.Length > 0 ? $"Api-Version: {daemonVersion}\r\n" : "")}Content-Length: 0\r\n\r\n")).AsTask()
            : FakeDaemon.RespondAsync(s, 200, "[]"));
        Assert.Equal(0, TestCli.Run(["ps"], daemon.Environment, "").ExitCode);
        Assert.StartsWith(prefix, daemon.Requests[^1].Target);
    }

    [Fact]
    public void A_pinned_api_version_skips_the_ping()
    {
        using var daemon = new FakeDaemon((r, s, c) => FakeDaemon.RespondAsync(s, 200, "[]"));
        var env = daemon.Environment;
        env["BERTH_API_VERSION"] = "1.43";
        Assert.Equal(0, TestCli.Run(["images", "-q"], env, "").ExitCode);
        Assert.Equal(["/v1.43/images/json"], daemon.Requests.Select(r => r.Target));
    }

    [Fact]
    public void Error_answers_read_as_docker_prints_them()
    {
        using var daemon = new FakeDaemon((r, s, c) => r.Path switch
        {
            "/_ping" => FakeDaemon.PingAsync(s),
            "/v1.41/containers/a" => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"No such container: a\"}\n", reason: "Not Found"),
            "/v1.41/containers/b" => FakeDaemon.RespondAsync(s, 409, "conflict in plain text\n", "text/plain", "Conflict"),
            "/v1.41/containers/c" => FakeDaemon.RespondAsync(s, 500, "", "text/plain", "Internal Server Error"),
            _ => FakeDaemon.RespondAsync(s, 204, "", reason: "No Content"),
        });
        var run = TestCli.Run(["rm", "a", "b", "c", "d"], daemon.Environment, "");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("d\n", run.Stdout);
        Assert.Equal("Error response from daemon: No such container: a\nError response from daemon: conflict in plain text\n"
            + "Error response from daemon: request returned Internal Server Error for API route and version DELETE /containers/c, check if the server supports the requested API version\n", run.Stderr);
    }

    [Fact]
    public void Chunked_answers_are_decoded()
    {
        string list = "[{\"Id\":\"" + new string('a', 64) + "\",\"Names\":[\"/web\"],\"Image\":\"busybox\",\"ImageID\":\"sha256:" + new string('b', 64)
            + "\",\"Command\":\"top\",\"Created\":0,\"Ports\":[],\"Labels\":{},\"State\":\"running\",\"Status\":\"Up 1 second\",\"HostConfig\":{}}]";
        using var daemon = new FakeDaemon(async (r, s, c) =>
        {
            if (r.Path == "/_ping")
            {
                await FakeDaemon.PingAsync(s);
                return;
            }
            var sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < list.Length; i += 7)
            {
                string piece = list.Substring(i, Math.Min(7, list.Length - i));
                sb.Append($"{Encoding.UTF8.GetByteCount(piece):x}\r\n{piece}\r\n");
            }
            sb.Append("0\r\n\r\n");
            await s.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()));
        });
        var run = TestCli.Run(["ps", "--format", "{{.ID}} {{.Names}} {{.Command}}"], daemon.Environment, "");
        Assert.Equal("", run.Stderr);
        Assert.Equal("aaaaaaaaaaaa web \"top\"\n", run.Stdout);
    }

    [Fact]
    public void Attach_demultiplexes_output_and_ends_with_the_containers_status()
    {
        using var daemon = new FakeDaemon(async (r, s, c) =>
        {
            switch (r.Path)
            {
                case "/_ping":
                    await FakeDaemon.PingAsync(s);
                    break;
                case "/v1.41/containers/c1/json":
                    await FakeDaemon.RespondAsync(s, 200, "{\"Id\":\"c1id\",\"Config\":{\"Tty\":false,\"OpenStdin\":false},\"State\":{\"Running\":true}}");
                    break;
                case "/v1.41/containers/c1/wait":
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
                    await Task.Delay(200);
                    await s.WriteAsync(Encoding.ASCII.GetBytes("11\r\n{\"StatusCode\":3}\n\r\n0\r\n\r\n"));
                    break;
                case "/v1.41/containers/c1/attach":
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
                    await s.WriteAsync(FakeDaemon.Frame(1, "out line\n"));
                    await s.WriteAsync(FakeDaemon.Frame(2, "err line\n"));
                    c.Shutdown(SocketShutdown.Send);
                    break;
                default:
                    await FakeDaemon.RespondAsync(s, 404, "{\"message\":\"unexpected\"}");
                    break;
            }
        });
        var run = TestCli.Run(["attach", "--no-stdin", "c1"], daemon.Environment, "");
        Assert.Equal("out line\n", run.Stdout);
        Assert.Equal("err line\n", run.Stderr);
        Assert.Equal(3, run.ExitCode);
        var attach = daemon.Requests.Single(r => r.Path.EndsWith("/attach", StringComparison.Ordinal));
        Assert.Equal("POST", attach.Method);
        Assert.Equal("Upgrade", attach.Headers["Connection"]);
        Assert.Equal("tcp", attach.Headers["Upgrade"]);
        Assert.Equal("stderr=1&stdout=1&stream=1", attach.Query);
    }

    [Fact]
    public void Run_creates_attaches_waits_starts_and_streams_stdin()
    {
        var order = new List<string>();
        using var daemon = new FakeDaemon(async (r, s, c) =>
        {
            lock (order)
                order.Add(r.Method + " " + r.Path);
            switch (r.Path)
            {
                case "/_ping":
                    await FakeDaemon.PingAsync(s);
                    break;
                case "/v1.41/containers/create":
                    await FakeDaemon.RespondAsync(s, 201, "{\"Id\":\"newid\",\"Warnings\":[\"memory is odd\"]}", reason: "Created");
                    break;
                case "/v1.41/containers/newid/attach":
                {
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
                    // Echo stdin back as stdout until the client half-closes.
                    var received = new MemoryStream();
                    var buffer = new byte[1024];
                    int n;
                    while ((n = await s.ReadAsync(buffer)) > 0)
                        received.Write(buffer, 0, n);
                    await s.WriteAsync(FakeDaemon.Frame(1, "got:" + Encoding.UTF8.GetString(received.ToArray())));
                    c.Shutdown(SocketShutdown.Send);
                    break;
                }
                case "/v1.41/containers/newid/wait":
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
                    await Task.Delay(300);
                    await s.WriteAsync(Encoding.ASCII.GetBytes("11\r\n{\"StatusCode\":7}\n\r\n0\r\n\r\n"));
                    break;
                case "/v1.41/containers/newid/start":
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\n\r\n"));
                    break;
                default:
                    await FakeDaemon.RespondAsync(s, 404, "{\"message\":\"unexpected\"}");
                    break;
            }
        });
        var run = TestCli.Run(["run", "-i", "--rm", "--name", "x", "busybox", "cat"], daemon.Environment, "hello stdin");
        Assert.Equal("got:hello stdin", run.Stdout);
        Assert.Equal("WARNING: memory is odd\n", run.Stderr);
        Assert.Equal(7, run.ExitCode);
        var create = daemon.Requests.Single(r => r.Path == "/v1.41/containers/create");
        Assert.Equal("name=x", create.Query);
        Assert.Contains("\"OpenStdin\":true", create.BodyText);
        Assert.Contains("\"StdinOnce\":true", create.BodyText);
        Assert.Contains("\"AutoRemove\":true", create.BodyText);
        Assert.Equal("condition=removed", daemon.Requests.Single(r => r.Path.EndsWith("/wait", StringComparison.Ordinal)).Query);
        Assert.Equal("stderr=1&stdin=1&stdout=1&stream=1", daemon.Requests.Single(r => r.Path.EndsWith("/attach", StringComparison.Ordinal)).Query);
        lock (order)
        {
            int attach = order.IndexOf("POST /v1.41/containers/newid/attach");
            int wait = order.IndexOf("POST /v1.41/containers/newid/wait");
            int start = order.IndexOf("POST /v1.41/containers/newid/start");
            Assert.True(attach >= 0 && attach < wait && wait < start, string.Join(", ", order));
        }
    }

    [Fact]
    public void A_missing_image_is_pulled_and_the_pull_error_shown()
    {
        using var daemon = new FakeDaemon((r, s, c) => r.Path switch
        {
            "/_ping" => FakeDaemon.PingAsync(s),
            "/v1.41/containers/create" => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"No such image: nosuch:latest\"}", reason: "Not Found"),
            "/v1.41/images/create" => FakeDaemon.RespondAsync(s, 501, "{\"message\":\"berthd cannot pull images yet\"}", reason: "Not Implemented"),
            _ => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"unexpected\"}"),
        });
        var run = TestCli.Run(["run", "nosuch"], daemon.Environment, "");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("Unable to find image 'nosuch:latest' locally\nberth: Error response from daemon: berthd cannot pull images yet\n\nRun 'berth run --help' for more information\n", run.Stderr);
        Assert.Equal("fromImage=nosuch&tag=latest", daemon.Requests.Single(r => r.Path == "/v1.41/images/create").Query);
    }

    [Fact]
    public void Start_failures_of_run_map_to_126_and_127()
    {
        foreach (var (message, status) in new[] { ("exec: \"nope\": executable file not found in $PATH", 127), ("exec: \"/etc\": permission denied", 126), ("boom", 125) })
        {
            using var daemon = new FakeDaemon((r, s, c) => r.Path switch
            {
                "/_ping" => FakeDaemon.PingAsync(s),
                "/v1.41/containers/create" => FakeDaemon.RespondAsync(s, 201, "{\"Id\":\"id1\",\"Warnings\":[]}"),
                "/v1.41/containers/id1/wait" => FakeDaemon.RespondAsync(s, 200, "{\"StatusCode\":0}"),
                "/v1.41/containers/id1/start" => FakeDaemon.RespondAsync(s, 400, $"{{\"message\":\"{message.Replace("\"", "\\\"")}\"}}", reason: "Bad Request"),
                _ => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"unexpected\"}"),
            });
            var run = TestCli.Run(["run", "-d", "busybox", "nope"], daemon.Environment, "");
            Assert.Equal(status, run.ExitCode);
            Assert.Equal("id1\n", run.Stdout);
            Assert.Equal($"berth: Error response from daemon: {message}\n\nRun 'berth run --help' for more information\n", run.Stderr);
        }
    }

    [Fact]
    public void Inspect_prints_the_daemons_json_indented_and_reports_missing_objects()
    {
        using var daemon = new FakeDaemon((r, s, c) => r.Path switch
        {
            "/_ping" => FakeDaemon.PingAsync(s),
            "/v1.41/containers/web/json" => FakeDaemon.RespondAsync(s, 200, "{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{\"Running\":true},\"Config\":{\"Labels\":{\"a\":\"<b>\"}}}\n"),
            _ => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"no such object\"}", reason: "Not Found"),
        });
        var run = TestCli.Run(["inspect", "web", "ghost"], daemon.Environment, "");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("[\n    {\n        \"Id\": \"abc\",\n        \"Name\": \"/web\",\n        \"State\": {\n            \"Running\": true\n        },\n"
            + "        \"Config\": {\n            \"Labels\": {\n                \"a\": \"<b>\"\n            }\n        }\n    }\n]\n", run.Stdout);
        Assert.Equal("Error: No such object: ghost\n", run.Stderr);
        var formatted = TestCli.Run(["inspect", "-f", "{{.Name}} {{.State.Running}} {{json .Config.Labels}}", "web"], daemon.Environment, "");
        Assert.Equal("/web true {\"a\":\"<b>\"}\n", formatted.Stdout);
        var missingKey = TestCli.Run(["inspect", "-f", "{{.Nope}}", "web"], daemon.Environment, "");
        Assert.Equal(1, missingKey.ExitCode);
        Assert.Equal("\n", missingKey.Stdout);
        Assert.Equal("template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"\n", missingKey.Stderr);
    }
}
