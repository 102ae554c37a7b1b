using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>The docker CLI (v28) runs containers through berthd: run, logs, ps, inspect, stop, kill, rm, wait, exit codes, stdin.</summary>
public sealed class ContainerLifecycleTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    [Fact]
    public void Version_speaks_api_1_50_and_ping_headers_keep_the_cli_on_it()
    {
        var version = _d.Cli("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}} {{.Client.APIVersion}}").EnsureSuccess("docker version");
        Assert.Equal("1.50 1.24 linux 1.50", version.Stdout.Trim());
        var info = _d.Cli("info", "--format", "{{.OSType}} {{.DockerRootDir}} {{.DefaultRuntime}}").EnsureSuccess("docker info");
        Assert.Equal($"linux {_d.DataRoot} berth", info.Stdout.Trim());
    }

    [Fact]
    public void Info_and_version_report_what_the_runtime_and_the_init_say_of_themselves()
    {
        // As dockerd reads runc's and tini's --version: the commit line, and tini's "version X - git.COMMIT".
        string init = ProcessRunner.Run(RepoPaths.Executable("berth-init"), ["--version"]).EnsureSuccess("berth-init --version").Stdout.Trim();
        string runtime = ProcessRunner.Run(RepoPaths.Executable("berth-runtime"), ["--version"]).EnsureSuccess("berth-runtime --version").Stdout;
        string initCommit = init.Contains(" - git.") ? init[(init.IndexOf(" - git.", StringComparison.Ordinal) + 7)..] : "";
        string runtimeCommit = runtime.Split('\n').FirstOrDefault(l => l.StartsWith("commit: ", StringComparison.Ordinal))?["commit: ".Length..] ?? "";
        if (Directory.Exists(Path.Combine(RepoPaths.Root, ".git")))
        {
            Assert.Matches("^[0-9a-f]{7}$", initCommit);
            Assert.StartsWith(initCommit, runtimeCommit);
        }
        Assert.Equal($"{initCommit}|{runtimeCommit}", _d.Cli("info", "--format", "{{.InitCommit.ID}}|{{.RuncCommit.ID}}").EnsureSuccess("docker info").Stdout.Trim());
        Assert.Contains($" init version: {initCommit}\n", _d.Cli("info").Stdout);
        string components = _d.Cli("version", "--format", "{{range .Server.Components}}{{.Name}}={{.Version}}/{{index .Details \"GitCommit\"}} {{end}}")
            .EnsureSuccess("docker version").Stdout;
        Assert.Contains($"berth-runtime=0.1.0/{runtimeCommit} ", components);
        Assert.Contains($"berth-init=0.1.0/{initCommit} ", components);
    }

    [Fact]
    public void Run_rm_prints_the_output_and_removes_the_container()
    {
        var run = _d.Cli("run", "--rm", "--name", "compat-rm", Image, "echo", "hello from berth");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello from berth\n", run.Stdout);
        Assert.DoesNotContain("compat-rm", _d.Cli("ps", "-a", "--format", "{{.Names}}").Stdout);
    }

    [Fact]
    public void Run_returns_the_container_exit_code_and_keeps_stdout_and_stderr_apart()
    {
        var run = _d.Cli("run", "--rm", Image, "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.Stdout);
        Assert.Equal("err\n", run.Stderr);
    }

    [Fact]
    public void Run_rm_of_a_missing_command_gives_127_and_docker_s_one_error()
    {
        var run = _d.Cli("run", "--rm", "--name", "compat-nosuchcmd", Image, "nosuchcmd");
        Assert.Equal(127, run.ExitCode);
        Assert.Contains("exec: \"nosuchcmd\": executable file not found in $PATH", run.Stderr);
        // dockerd's wait for removal carries no error here, so the CLI prints no second line about it.
        Assert.DoesNotContain("Error waiting for container", run.Stderr);
        Assert.DoesNotContain("compat-nosuchcmd", _d.Cli("ps", "-a", "--format", "{{.Names}}").Stdout);
    }

    [Fact]
    public void Exec_of_a_missing_command_prints_dockerd_s_error_in_the_stream_and_exits_126()
    {
        string name = TestIds.New("exec-missing");
        try
        {
            _d.Cli("run", "-d", "--name", name, Image, "sleep", "300").EnsureSuccess("run -d");
            foreach (string[] flags in new[] { Array.Empty<string>(), ["-t"] })
            {
                var exec = _d.Cli(["exec", .. flags, name, "nosuchcmd"]);
                // dockerd 20.10: the stream is the client's before the process starts; the error comes on its stdout.
                Assert.Equal(126, exec.ExitCode);
                Assert.StartsWith("OCI runtime exec failed: ", exec.Stdout);
                Assert.Contains("exec: \"nosuchcmd\": executable file not found in $PATH", exec.Stdout);
                Assert.DoesNotContain("unable to upgrade", exec.Stderr);
            }
            Assert.Equal("[]", _d.Inspect(name, "{{json .ExecIDs}}").Replace("null", "[]"));
            var detached = _d.Cli("exec", "-d", name, "nosuchcmd");
            Assert.NotEqual(0, detached.ExitCode);
            Assert.Contains("OCI runtime exec failed: ", detached.Stderr);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Detach_keys_in_a_terminal_s_attach_end_it_and_leave_the_container_running()
    {
        // As dockerd: the daemon watches the input for the detach keys (the docker CLI catches typed ones
        // itself; clients that send raw input, or keys that arrive together, rely on the daemon).
        string name = TestIds.New("detach");
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            _d.Cli("run", "-dit", "--name", name, Image, "sh").EnsureSuccess("docker run -dit");
            foreach (var (query, keys) in new[] { ("", "\u0010\u0011"), ("&detachKeys=ctrl-x,x", "\u0018x") })
            {
                using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(_d.Socket));
                using var stream = new System.Net.Sockets.NetworkStream(socket);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                    $"POST /v1.50/containers/{name}/attach?stream=1&stdin=1&stdout=1&stderr=1{query} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"));
                await ReadUntilAsync(stream, "101 UPGRADED");
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("echo marker-$((40+2))\n"));
                await ReadUntilAsync(stream, "marker-42");
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(keys));
                // The daemon ends the attach: the rest of the stream comes, then its end.
                var buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                while (await stream.ReadAsync(buffer, timeout.Token) > 0)
                {
                }
                Assert.Equal("running", _d.Inspect(name, "{{.State.Status}}"));
            }
            string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var actions = _d.Cli("events", "--since", since, "--until", until, "--filter", "container=" + name, "--format", "{{.Action}}").EnsureSuccess("docker events").Stdout.Split('\n');
            Assert.Equal(2, actions.Count(a => a == "detach"));
            // The shell still has its terminal: it answers on a new attach.
            Assert.Equal("running", _d.Inspect(name, "{{.State.Status}}"));

            using var api = _d.Api();
            var bad = await api.PostAsync($"/containers/{name}/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-1", null);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("Invalid detach keys (ctrl-1) provided", await bad.Content.ReadAsStringAsync());

            // An exec with a terminal detaches alike; its process goes on.
            var badExec = await api.PostAsync($"/containers/{name}/exec", Json("""{"Cmd":["sh"],"Tty":true,"AttachStdin":true,"AttachStdout":true,"DetachKeys":"ctrl-1"}"""));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, badExec.StatusCode);
            Assert.Contains("Invalid escape keys (ctrl-1) provided", await badExec.Content.ReadAsStringAsync());
            var created = await api.PostAsync($"/containers/{name}/exec", Json("""{"Cmd":["sh"],"Tty":true,"AttachStdin":true,"AttachStdout":true}"""));
            string execId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
            using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
            {
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(_d.Socket));
                using var stream = new System.Net.Sockets.NetworkStream(socket);
                const string body = """{"Detach":false,"Tty":true}""";
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                    $"POST /v1.50/exec/{execId}/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
                await ReadUntilAsync(stream, "101 UPGRADED");
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("echo exec-$((40+4))\n"));
                await ReadUntilAsync(stream, "exec-44");
                await stream.WriteAsync("\u0010\u0011"u8.ToArray());
                var buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                while (await stream.ReadAsync(buffer, timeout.Token) > 0)
                {
                }
            }
            using (var inspect = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync($"/exec/{execId}/json")))
            {
                Assert.True(inspect.RootElement.GetProperty("Running").GetBoolean(), "the exec's process goes on after the detach");
                // As dockerd: the keys an exec was created with, parsed (Go's []byte), none for the default.
                Assert.Equal("", inspect.RootElement.GetProperty("DetachKeys").GetString());
            }
            var withKeys = await api.PostAsync($"/containers/{name}/exec", Json("""{"Cmd":["true"],"DetachKeys":"ctrl-x,x"}"""));
            string keysId = System.Text.Json.JsonDocument.Parse(await withKeys.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
            using (var inspect = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync($"/exec/{keysId}/json")))
                Assert.Equal(Convert.ToBase64String([24, (byte)'x']), inspect.RootElement.GetProperty("DetachKeys").GetString());
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    static async Task<string> ReadUntilAsync(Stream stream, string marker)
    {
        var seen = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0, $"the stream ended before \"{marker}\": {seen}");
            seen.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        }
        return seen.ToString();
    }

    [Fact]
    public void Run_interactive_passes_stdin_to_the_container()
    {
        var run = _d.Cli(["run", "--rm", "-i", Image, "sh", "-c", "tr a-z A-Z"], stdin: "quiet words\n");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("QUIET WORDS\n", run.Stdout);
    }

    [Fact]
    public void Detached_container_logs_ps_inspect_stop_and_rm()
    {
        const string name = "compat-detached";
        try
        {
            string id = _d.Cli("run", "-d", "--name", name, "-l", "purpose=test", Image, "sh", "-c", "echo started; echo oops >&2; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done")
                .EnsureSuccess("docker run -d").Stdout.Trim();
            Assert.Matches("^[0-9a-f]{64}$", id);
            Assert.Equal("true " + id, _d.Inspect(name, "{{.State.Running}} {{.Id}}"));
            Assert.Contains(name, _d.Cli("ps", "--filter", "label=purpose=test", "--format", "{{.Names}} {{.Status}}").Stdout);
            Wait.Until(() => _d.Cli("logs", name).Stdout.Contains("started"), "the container's first line in its log");
            var logs = _d.Cli("logs", name);
            Assert.Equal("started\n", logs.Stdout);
            Assert.Equal("oops\n", logs.Stderr);

            _d.Cli("stop", name).EnsureSuccess("docker stop");
            Assert.Equal("exited 0", _d.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
            Assert.Equal("started\nbye\n", _d.Cli("logs", name).Stdout);
            Assert.Contains("Exited (0)", _d.Cli("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").Stdout);

            _d.Cli("rm", name).EnsureSuccess("docker rm");
            var gone = _d.Cli("inspect", name);
            Assert.NotEqual(0, gone.ExitCode);
            Assert.Contains("No such object: " + name, gone.Stderr);
            Assert.False(Directory.Exists(Path.Combine(_d.DataRoot, "containers", id)), "the container's directory is removed");
            Assert.False(Directory.Exists(Path.Combine(_d.ExecRoot, "bundles", id)), "the bundle is removed");
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Kill_rm_force_and_docker_s_errors()
    {
        const string name = "compat-kill";
        try
        {
            _d.Cli("run", "-d", "--name", name, Image, "sleep", "1000").EnsureSuccess("docker run -d");
            var rm = _d.Cli("rm", name);
            Assert.NotEqual(0, rm.ExitCode);
            Assert.Contains("container is running: stop the container before removing or force remove", rm.Stderr);

            _d.Cli("kill", name).EnsureSuccess("docker kill");
            Assert.Equal("exited 137", _d.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
            var again = _d.Cli("kill", name);
            Assert.Contains("is not running", again.Stderr);

            _d.Cli("rm", "-f", name).EnsureSuccess("docker rm -f");
            Assert.Contains("No such container: " + name, _d.Cli("rm", name).Stderr);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Name_conflicts_and_bad_input_give_docker_s_errors_and_change_nothing()
    {
        const string name = "compat-conflict";
        try
        {
            _d.Cli("create", "--name", name, Image, "true").EnsureSuccess("docker create");
            var dup = _d.Cli("create", "--name", name, Image, "true");
            Assert.Equal(1, dup.ExitCode);
            Assert.Contains($"Conflict. The container name \"/{name}\" is already in use by container", dup.Stderr);

            var badName = _d.Cli("create", "--name", "bad name!", Image, "true");
            Assert.Contains("Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", badName.Stderr);

            var noImage = _d.Cli("create", "--pull", "never", "no-such-image-here", "true");
            Assert.Equal(1, noImage.ExitCode);
            Assert.Contains("No such image: no-such-image-here", noImage.Stderr);

            var badRestart = _d.Cli("create", "--restart", "sometimes", Image, "true");
            Assert.NotEqual(0, badRestart.ExitCode);

            Assert.Single(_d.Cli("ps", "-a", "-q", "--filter", "name=" + name).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Exec_runs_in_the_container_with_its_exit_code_and_stdin()
    {
        const string name = "compat-exec";
        try
        {
            _d.Cli("run", "-d", "--name", name, "-e", "GREETING=hi", Image, "sleep", "1000").EnsureSuccess("docker run -d");
            var exec = _d.Cli("exec", name, "sh", "-c", "echo $GREETING $(hostname)");
            Assert.Equal(0, exec.ExitCode);
            string id = _d.Inspect(name, "{{.Id}}");
            Assert.Equal($"hi {id[..12]}\n", exec.Stdout);
            Assert.Equal(5, _d.Cli("exec", name, "sh", "-c", "exit 5").ExitCode);
            var piped = _d.Cli(["exec", "-i", name, "cat"], stdin: "through stdin\n");
            Assert.Equal("through stdin\n", piped.Stdout);
            var user = _d.Cli("exec", "-u", "nobody", "-w", "/tmp", name, "sh", "-c", "id -u; pwd");
            Assert.Equal("65534\n/tmp\n", user.Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Wait_returns_the_exit_code()
    {
        const string name = "compat-wait";
        try
        {
            _d.Cli("run", "-d", "--name", name, Image, "sh", "-c", "sleep 0.5; exit 7").EnsureSuccess("docker run -d");
            var wait = _d.Cli("wait", name);
            Assert.Equal("7\n", wait.Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }
}
