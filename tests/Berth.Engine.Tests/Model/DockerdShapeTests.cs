using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Engine.Model;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Model;

/// <summary>
/// A real dockerd (Debian's 20.10, API 1.41) as the oracle: each answer is read into the model and written again, and
/// the two documents must have the same properties, with null, empty and omitted in the same places. The only
/// differences allowed are the documented ones between API 1.41 and 1.50, which the model follows (listed per test).
/// </summary>
public sealed class DockerdShapeTests(DockerdShapeTests.Daemon daemon) : IClassFixture<DockerdShapeTests.Daemon>
{
    // Added by 1.44 (DNSNames) and 1.48 (GwPriority) to every endpoint.
    static readonly string[] NewEndpointFields = ["NetworkSettings.Networks.*.DNSNames", "NetworkSettings.Networks.*.GwPriority"];

    [Fact]
    public void Container_inspect()
    {
        // KernelMemory and KernelMemoryTCP became omitempty (written only when set) in the 1.42 era.
        Check("GET", $"/containers/{daemon.ContainerId}/json", DockerJson.Default.ContainerInspect,
            onlyDockerd: ["HostConfig.KernelMemory", "HostConfig.KernelMemoryTCP"], onlyModel: NewEndpointFields);
        Check("GET", $"/containers/{daemon.ContainerId}/json?size=1", DockerJson.Default.ContainerInspect,
            onlyDockerd: ["HostConfig.KernelMemory", "HostConfig.KernelMemoryTCP"], onlyModel: NewEndpointFields);
        var inspect = Read($"/containers/{daemon.ContainerId}/json", DockerJson.Default.ContainerInspect);
        Assert.NotEmpty(inspect.State!.Health!.Log!);
        Assert.Contains(inspect.Mounts!, m => m is { Type: "volume", Name: "berth-test-model-volume", Driver: "local" });
    }

    [Fact]
    public void Container_list()
    {
        Check("GET", "/containers/json?all=1", DockerJson.Default.ListContainerSummary, onlyModel: Each(NewEndpointFields));
        Check("GET", "/containers/json?all=1&size=1", DockerJson.Default.ListContainerSummary, onlyModel: Each(NewEndpointFields));
    }

    [Fact]
    public void Image_inspect_list_and_history()
    {
        // 1.45 dropped Container and ContainerConfig, 1.50 the container-only Config fields.
        Check("GET", $"/images/{DockerDaemon.Image}/json", DockerJson.Default.ImageInspectResponse,
            onlyDockerd: ["Container", "ContainerConfig", "Config.Hostname", "Config.Domainname", "Config.AttachStdin", "Config.AttachStdout",
                "Config.AttachStderr", "Config.Tty", "Config.OpenStdin", "Config.StdinOnce", "Config.Image"]);
        Check("GET", "/images/json", DockerJson.Default.ListImageSummary);
        Check("GET", $"/images/{DockerDaemon.Image}/history", DockerJson.Default.ListImageHistoryItem);
    }

    [Fact]
    public void Version_and_info()
    {
        Check("GET", "/version", DockerJson.Default.SystemVersion);
        // 1.49 dropped the Expected commits and the non-distributable artifacts settings, 1.50 BridgeNfIp*tables;
        // 1.44 added CDISpecDirs.
        Check("GET", "/info", DockerJson.Default.SystemInfo,
            onlyDockerd: ["BridgeNfIptables", "BridgeNfIp6tables", "ContainerdCommit.Expected", "RuncCommit.Expected", "InitCommit.Expected",
                "RegistryConfig.AllowNondistributableArtifactsCIDRs", "RegistryConfig.AllowNondistributableArtifactsHostnames"],
            onlyModel: ["CDISpecDirs"]);
    }

    [Fact]
    public void Exec_inspect()
    {
        Check("GET", $"/exec/{daemon.ExecId}/json", DockerJson.Default.ExecInspect);
        Assert.Equal(0, Read($"/exec/{daemon.ExecId}/json", DockerJson.Default.ExecInspect).ExitCode);
    }

    [Fact]
    public void Stats_top_and_changes()
    {
        Check("GET", $"/containers/{daemon.ContainerId}/stats?stream=false", DockerJson.Default.ContainerStats);
        Check("GET", $"/containers/{daemon.ContainerId}/top", DockerJson.Default.ContainerTopResponse);
        Check("GET", $"/containers/{daemon.ContainerId}/changes", DockerJson.Default.ListFilesystemChange);
    }

    [Fact]
    public void Events()
    {
        string until = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        string stream = daemon.Request("GET", $"/events?since=0&until={until}").Body;
        string[] lines = stream.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"Type\":\"container\"") && l.Contains("\"from\":"));
        Assert.Contains(lines, l => l.Contains("\"Type\":\"network\""));
        foreach (string line in lines)
            CheckDocument("event", line, DockerJson.Default.EventMessage, escapeHtml: true);
    }

    [Fact]
    public void System_df()
    {
        // BuilderSize went away in 1.40 but 20.10 still writes it as 0; the endpoint fields as in container list.
        Check("GET", "/system/df", DockerJson.Default.SystemDataUsage,
            onlyDockerd: ["BuilderSize"], onlyModel: [.. NewEndpointFields.Select(f => "Containers.*." + f)]);
        Assert.Contains(Read("/system/df", DockerJson.Default.SystemDataUsage).Volumes!, v => v.Name == "berth-test-model-volume" && v.UsageData is not null);
    }

    [Fact]
    public void Wait_prune_and_errors()
    {
        daemon.Docker.Run(["--name", "berth-test-model-exited", DockerDaemon.Image, "true"]).EnsureSuccess("docker run true");
        // 1.50 leaves Error out unless waiting failed (20.10 writes null).
        Check("POST", "/containers/berth-test-model-exited/wait", DockerJson.Default.ContainerWaitResponse, onlyDockerd: ["Error"]);
        Check("POST", "/containers/prune", DockerJson.Default.ContainerPruneResponse);
        Check("POST", "/images/prune", DockerJson.Default.ImagePruneResponse);
        Check("DELETE", "/images/berth-test-no-such-image", DockerJson.Default.ErrorResponse, status: 404);
        Check("GET", "/containers/berth-test-no-such-container/json", DockerJson.Default.ErrorResponse, status: 404);
        daemon.Docker.Cli("tag", DockerDaemon.Image, "berth-test-model-tag:1").EnsureSuccess("docker tag");
        Check("DELETE", "/images/berth-test-model-tag:1", DockerJson.Default.ListImageDeleteResponseItem);
    }

    [Fact]
    public void Path_stat_header_is_the_same_bytes()
    {
        var response = daemon.Request("HEAD", $"/containers/{daemon.ContainerId}/archive?path=/bin");
        string header = response.Headers.Single(h => h.StartsWith("X-Docker-Container-Path-Stat:", StringComparison.OrdinalIgnoreCase)).Split(':', 2)[1].Trim();
        byte[] json = Convert.FromBase64String(header);
        var stat = DockerJson.Deserialize(json, DockerJson.Default.ContainerPathStat)!;
        Assert.Equal("bin", stat.Name);
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(DockerJson.Serialize(stat, DockerJson.Default.ContainerPathStat)));
    }

    static string[] Each(string[] paths) => [.. paths.Select(p => "*." + p)];

    void Check<T>(string method, string path, JsonTypeInfo<T> info, string[]? onlyDockerd = null, string[]? onlyModel = null, int status = 0)
    {
        var response = daemon.Request(method, path);
        if (status != 0)
            Assert.Equal(status, response.Status);
        else
            Assert.True(response.Status is >= 200 and < 300, $"{method} {path}: {response.Status} {response.Body}");
        CheckDocument($"{method} {path}", response.Body, info, escapeHtml: false, onlyDockerd, onlyModel);
    }

    static void CheckDocument<T>(string what, string body, JsonTypeInfo<T> info, bool escapeHtml, string[]? onlyDockerd = null, string[]? onlyModel = null)
    {
        T value = DockerJson.Deserialize(Encoding.UTF8.GetBytes(body), info)!;
        byte[] ours = DockerJson.Serialize(value, info, escapeHtml);
        using var expected = JsonDocument.Parse(body);
        using var actual = JsonDocument.Parse(ours);
        JsonShape.AssertSame(what, expected.RootElement, actual.RootElement, onlyDockerd, onlyModel);
    }

    T Read<T>(string path, JsonTypeInfo<T> info) => DockerJson.Deserialize(Encoding.UTF8.GetBytes(daemon.Request("GET", path).Body), info)!;

    /// <summary>
    /// A private dockerd with one running container made with many options (ports, volumes, a bind, tmpfs, limits,
    /// ulimits, capabilities, a health check that has run, labels, init) and one finished exec in it.
    /// </summary>
    public sealed class Daemon : IDisposable
    {
        public Daemon()
        {
            Docker = new DockerDaemon();
            try
            {
                ContainerId = Docker.Run([
                    "-d", "--name", "berth-test-model-web", "--hostname", "web", "-e", "A=1", "-e", "B=<x>&y", "-l", "z=1", "-l", "com.example.app=web",
                    "-p", "8080:80", "-p", "127.0.0.1:9090:90/udp", "--expose", "7000",
                    "-v", "berth-test-model-volume:/v", "-v", $"{Docker.PathOf("")}:/data:ro", "--tmpfs", "/run:size=1m",
                    "--mount", "type=tmpfs,target=/t,tmpfs-size=100000", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "50",
                    "--ulimit", "nofile=1024:2048", "--cap-add", "NET_ADMIN", "--cap-drop", "MKNOD", "--restart", "on-failure:3",
                    "--health-cmd", "true", "--health-interval", "1s", "--init", "--sysctl", "net.core.somaxconn=1024", "--stop-signal", "SIGINT",
                    DockerDaemon.Image, "sleep", "1000"]).EnsureSuccess("docker run -d").Stdout.Trim();
                WaitFor("a health check result", () => Docker.Inspect(ContainerId, "{{len .State.Health.Log}}") != "0");
                var exec = Request("POST", $"/containers/{ContainerId}/exec", """{"Cmd":["true"],"AttachStdout":true}""");
                ExecId = JsonDocument.Parse(exec.Body).RootElement.GetProperty("Id").GetString()!;
                Request("POST", $"/exec/{ExecId}/start", """{"Detach":true}""");
                WaitFor("the exec to finish", () => !Request("GET", $"/exec/{ExecId}/json").Body.Contains("\"Running\":true"));
            }
            catch
            {
                Docker.Dispose();
                throw;
            }
        }

        public DockerDaemon Docker { get; }

        public string ContainerId { get; } = "";

        public string ExecId { get; } = "";

        /// <summary>One HTTP/1.0 request to dockerd's socket, API 1.41.</summary>
        public HttpResult Request(string method, string path, string? body = null)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(Docker.Socket));
            using var stream = new NetworkStream(socket);
            byte[] content = Encoding.UTF8.GetBytes(body ?? "");
            string head = $"{method} /v1.41{path} HTTP/1.0\r\nHost: docker\r\n"
                + (body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {content.Length}\r\n") + "\r\n";
            stream.Write([.. Encoding.ASCII.GetBytes(head), .. content]);
            using var reader = new MemoryStream();
            stream.CopyTo(reader);
            string response = Encoding.UTF8.GetString(reader.ToArray());
            int split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string[] headers = response[..split].Split("\r\n");
            return new HttpResult(int.Parse(headers[0].Split(' ')[1]), headers[1..], response[(split + 4)..]);
        }

        static void WaitFor(string what, Func<bool> done)
        {
            // Bounded only so that a broken daemon cannot hang the run.
            for (int i = 0; i < 300; i++)
            {
                if (done())
                    return;
                Thread.Sleep(100);
            }
            Assert.Fail($"dockerd never got to {what}");
        }

        public void Dispose()
        {
            Docker.Dispose();
        }
    }

    public sealed record HttpResult(int Status, string[] Headers, string Body);
}
