using System.Text;
using System.Text.Json;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Model;

/// <summary>
/// What the docker CLI (Docker 28, API 1.50) sends is read by the model and written back byte for byte; what the model
/// writes is read by the CLI. The CLI talks to <see cref="FakeEngineSocket"/>, which records its requests.
/// </summary>
public sealed class CliRequestBodyTests
{
    static readonly string[] CreateFlags =
    [
        "--name", "web", "--hostname", "hh", "--user", "1000:1000", "--workdir", "/work", "--entrypoint", "/bin/sh",
        "-e", "A=1", "-e", "B=<x>&y", "-e", "C=é\u2028", "-l", "z=1", "-l", "a=2", "--label", "com.example.app=web",
        "-p", "8080:80", "-p", "127.0.0.1:9090:90/udp", "--expose", "7000", "-P",
        "-v", "/tmp:/data:ro", "-v", "vol:/v", "--mount", "type=tmpfs,target=/t,tmpfs-size=1000,tmpfs-mode=1770",
        "--mount", "type=bind,source=/srv,target=/srv,bind-propagation=rslave",
        "--mount", "type=volume,source=named,target=/named,volume-nocopy,volume-label=k=v,volume-driver=local",
        "--memory", "64m", "--memory-reservation", "32m", "--memory-swap", "128m", "--memory-swappiness", "10",
        "--cpus", "1.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "50", "--oom-kill-disable",
        "--blkio-weight", "300", "--device-read-bps", "/dev/null:1mb", "--device", "/dev/null:/dev/xnull:rw",
        "--device-cgroup-rule", "c 1:3 mr", "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=100",
        "--restart", "on-failure:3", "--health-cmd", "wget -q localhost || exit 1", "--health-interval", "5s",
        "--health-timeout", "2s", "--health-retries", "4", "--health-start-period", "10s", "--health-start-interval", "1s",
        "--cap-add", "NET_ADMIN", "--cap-drop", "MKNOD", "--security-opt", "no-new-privileges", "--privileged=false",
        "--tmpfs", "/run:size=1m", "--sysctl", "net.core.somaxconn=1024", "--dns", "1.1.1.1", "--dns-search", "example.com",
        "--dns-option", "ndots:2", "--add-host", "h:1.2.3.4", "--group-add", "audio", "--ipc", "shareable",
        "--pid", "host", "--uts", "host", "--cgroupns", "private", "--shm-size", "1m", "--stop-signal", "SIGINT",
        "--stop-timeout", "7", "--init", "--read-only", "--log-driver", "json-file", "--log-opt", "max-size=1m",
        "--annotation", "org.example.a=b", "--storage-opt", "size=1G", "--oom-score-adj", "100",
        "--network", "none", "-t", "-i", "busybox", "echo", "hi",
    ];

    [Fact]
    public void The_clis_create_body_is_read_and_written_back_byte_for_byte()
    {
        using var engine = new FakeEngineSocket(_ => (201, """{"Id":"0123456789ab","Warnings":[]}"""u8.ToArray()));
        engine.Cli(["create", .. CreateFlags]).EnsureSuccess("docker create");

        RecordedRequest create = engine.Requests.Single(r => r.Method == "POST");
        Assert.StartsWith("/v1.50/containers/create?name=web", create.Path);
        ContainerCreateRequest request = DockerJson.Deserialize(create.Body, DockerJson.Default.ContainerCreateRequest)!;

        Assert.Equal(create.BodyText, Encoding.UTF8.GetString(DockerJson.SerializeLine(request, DockerJson.Default.ContainerCreateRequest)));

        // Spot checks that the values landed where they belong.
        Assert.Equal(["A=1", "B=<x>&y", "C=é\u2028"], request.Env!.Order());
        Assert.Equal(["/bin/sh"], request.Entrypoint!);
        Assert.Equal(7, request.StopTimeout);
        Assert.Equal(5_000_000_000, request.Healthcheck!.Interval);
        Assert.Equal(1_000_000_000, request.Healthcheck.StartInterval);
        HostConfig host = request.HostConfig!;
        Assert.Equal(67108864, host.Memory);
        Assert.Equal(1_500_000_000, host.NanoCpus);
        Assert.Equal(10, host.MemorySwappiness);
        Assert.True(host.OomKillDisable);
        Assert.Equal(50, host.PidsLimit);
        Assert.Equal("on-failure", host.RestartPolicy.Name);
        Assert.Equal(3, host.RestartPolicy.MaximumRetryCount);
        Assert.Equal("127.0.0.1", host.PortBindings!["90/udp"]![0].HostIp);
        Assert.Equal(2048, host.Ulimits!.Single(u => u.Name == "nofile").Hard);
        Assert.Equal(1000, host.Mounts!.Single(m => m.Type == "tmpfs").TmpfsOptions!.SizeBytes);
        Assert.Equal("b", host.Annotations!["org.example.a"]);
        Assert.Equal(["CAP_NET_ADMIN"], host.CapAdd!);
        Assert.Equal("none", host.NetworkMode);
        Assert.NotNull(request.NetworkingConfig);

        ContainerConfig config = request.ToContainerConfig();
        string configJson = Encoding.UTF8.GetString(DockerJson.Serialize(config, DockerJson.Default.ContainerConfig));
        using var body = JsonDocument.Parse(create.Body);
        using var alone = JsonDocument.Parse(configJson);
        Assert.Equal(body.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n is not "HostConfig" and not "NetworkingConfig"),
            alone.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_clis_update_and_exec_bodies_are_read_and_written_back_byte_for_byte()
    {
        byte[] inspect = DockerJson.SerializeLine(SampleInspect(), DockerJson.Default.ContainerInspect, escapeHtml: false);
        using var engine = new FakeEngineSocket(r => r switch
        {
            { Method: "POST", Path: var p } when p.Contains("/update") => (200, """{"Warnings":null}"""u8.ToArray()),
            { Method: "GET", Path: var p } when p.Contains("/containers/web/json") => (200, inspect),
            { Method: "POST", Path: var p } when p.EndsWith("/containers/web/exec") => (201, """{"Id":"e1"}"""u8.ToArray()),
            { Method: "POST", Path: var p } when p.Contains("/exec/e1/start") => (200, []),
            _ => (404, """{"message":"not here"}"""u8.ToArray()),
        });
        engine.Cli("update", "--memory", "128m", "--memory-swap", "-1", "--cpus", "0.5", "--pids-limit", "20", "--restart", "unless-stopped",
            "--blkio-weight", "500", "web").EnsureSuccess("docker update");
        engine.Cli("exec", "-d", "-u", "nobody", "-w", "/tmp", "-e", "X=<1>", "--privileged", "web", "sh", "-c", "sleep 1").EnsureSuccess("docker exec -d");

        RecordedRequest update = engine.Requests.Single(r => r.Path.Contains("/update"));
        var updateBody = DockerJson.Deserialize(update.Body, DockerJson.Default.ContainerUpdateRequest)!;
        Assert.Equal(update.BodyText, Encoding.UTF8.GetString(DockerJson.SerializeLine(updateBody, DockerJson.Default.ContainerUpdateRequest)));
        Assert.Equal("unless-stopped", updateBody.RestartPolicy.Name);
        Assert.Equal(134217728, updateBody.Memory);

        RecordedRequest exec = engine.Requests.Single(r => r.Path.EndsWith("/containers/web/exec"));
        var execBody = DockerJson.Deserialize(exec.Body, DockerJson.Default.ExecCreateRequest)!;
        Assert.Equal(exec.BodyText, Encoding.UTF8.GetString(DockerJson.SerializeLine(execBody, DockerJson.Default.ExecCreateRequest)));
        Assert.Equal(["sh", "-c", "sleep 1"], execBody.Cmd!);
        Assert.Equal("nobody", execBody.User);

        RecordedRequest start = engine.Requests.Single(r => r.Path.Contains("/exec/e1/start"));
        var startBody = DockerJson.Deserialize(start.Body, DockerJson.Default.ExecStartRequest)!;
        Assert.Equal(start.BodyText, Encoding.UTF8.GetString(DockerJson.SerializeLine(startBody, DockerJson.Default.ExecStartRequest)));
        Assert.True(startBody.Detach);
    }

    [Fact]
    public void The_cli_reads_what_the_model_writes()
    {
        byte[] inspect = DockerJson.SerializeLine(SampleInspect(), DockerJson.Default.ContainerInspect, escapeHtml: false);
        byte[] list = DockerJson.SerializeLine([SampleSummary()], DockerJson.Default.ListContainerSummary, escapeHtml: false);
        byte[] version = DockerJson.SerializeLine(new SystemVersion
        {
            Version = "28.2.2", ApiVersion = "1.50", MinAPIVersion = "1.24", Os = "linux", Arch = "amd64", GoVersion = "go1.24.3", GitCommit = "abc",
            Components = [new ComponentVersion { Name = "Engine", Version = "28.2.2", Details = new() { ["ApiVersion"] = "1.50" } }],
        }, DockerJson.Default.SystemVersion, escapeHtml: false);
        byte[] info = DockerJson.SerializeLine(new SystemInfo
        {
            ID = "X", OSType = "linux", ServerVersion = "28.2.2", Driver = "overlay2", CgroupVersion = "2", CgroupDriver = "cgroupfs",
            Swarm = new SwarmInfo { LocalNodeState = "inactive" }, Runtimes = new() { ["runc"] = new RuntimeInfo { Path = "runc" } },
            DefaultRuntime = "runc", SecurityOptions = ["name=seccomp,profile=builtin"],
        }, DockerJson.Default.SystemInfo, escapeHtml: false);
        using var engine = new FakeEngineSocket(r => r switch
        {
            { Path: var p } when p.Contains("/containers/web/json") => (200, inspect),
            { Path: var p } when p.Contains("/containers/json") => (200, list),
            { Path: var p } when p.EndsWith("/version") => (200, version),
            { Path: var p } when p.EndsWith("/info") => (200, info),
            _ => (404, """{"message":"No such object: x"}"""u8.ToArray()),
        });

        string inspected = engine.Cli("inspect", "-f", "{{.State.Status}} {{.HostConfig.Memory}} {{json .Config.Labels}} {{.NetworkSettings.Ports}} {{.Name}}", "web")
            .EnsureSuccess("docker inspect").Stdout.Trim();
        Assert.Equal("running 67108864 {\"a&b\":\"<c>\"} map[80/tcp:[{0.0.0.0 8080}] 90/udp:[]] /web", inspected);

        string listed = engine.Cli("ps", "--format", "{{.ID}} {{.Names}} {{.Ports}} {{.Labels}}").EnsureSuccess("docker ps").Stdout.Trim();
        Assert.Equal("0123456789ab web 0.0.0.0:8080->80/tcp a&b=<c>", listed);

        Assert.Equal("28.2.2 1.50", engine.Cli("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").EnsureSuccess("docker version").Stdout.Trim());
        Assert.Equal("linux inactive runc", engine.Cli("info", "--format", "{{.OSType}} {{.Swarm.LocalNodeState}} {{.DefaultRuntime}}").EnsureSuccess("docker info").Stdout.Trim());

        var missing = engine.Cli("inspect", "nothing");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such object", missing.Stderr);
    }

    static ContainerInspect SampleInspect() => new()
    {
        Id = "0123456789ab" + new string('c', 52),
        Created = DockerTime.FormatUnixNanoseconds(1796001617955675470),
        Path = "sleep",
        Args = ["1000"],
        State = new ContainerState { Status = "running", Running = true, Pid = 42, StartedAt = DockerTime.FormatUnixNanoseconds(1796001618522715406), FinishedAt = DockerTime.Zero },
        Image = "sha256:" + new string('a', 64),
        Name = "/web",
        Driver = "overlay2",
        Platform = "linux",
        HostConfig = new HostConfig { Memory = 67108864, NetworkMode = "default", LogConfig = new LogConfig { Type = "json-file", Config = [] } },
        GraphDriver = new GraphDriverData { Name = "overlay2", Data = new() { ["MergedDir"] = "/m" } },
        Mounts = [],
        Config = new ContainerConfig { Hostname = "0123456789ab", Image = "busybox", Cmd = ["sleep", "1000"], Labels = new() { ["a&b"] = "<c>" } },
        NetworkSettings = new NetworkSettings
        {
            Ports = new() { ["80/tcp"] = [new PortBinding { HostIp = "0.0.0.0", HostPort = "8080" }], ["90/udp"] = null },
            Networks = new() { ["bridge"] = new EndpointSettings { NetworkID = "n", IPAddress = "172.17.0.2", IPPrefixLen = 16 } },
        },
    };

    static ContainerSummary SampleSummary() => new()
    {
        Id = "0123456789ab" + new string('c', 52),
        Names = ["/web"],
        Image = "busybox",
        ImageID = "sha256:" + new string('a', 64),
        Command = "sleep 1000",
        Created = 1796001617,
        Ports = [new ContainerPort { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" }],
        Labels = new() { ["a&b"] = "<c>" },
        State = "running",
        Status = "Up 5 seconds",
        HostConfig = new ContainerSummaryHostConfig { NetworkMode = "default" },
        NetworkSettings = new ContainerSummaryNetworkSettings { Networks = [] },
        Mounts = [],
    };
}
