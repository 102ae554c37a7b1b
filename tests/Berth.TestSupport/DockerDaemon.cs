using System.Diagnostics;
using System.Text.Json;
using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// Debian's dockerd (docker.io 20.10) on a private data root, exec root, pidfile and socket in an
/// <see cref="EngineSandbox"/>, optionally with an OCI runtime registered as runtime "berth"
/// (the runtime tests give the published NativeAOT berth-runtime). dockerd starts its own
/// containerd under the exec root. cgroupfs driver, cgroups under the sandbox's
/// /berth/docker/&lt;name&gt;, no bridge, no iptables: containers run with --network none. The
/// busybox rootfs is imported offline as <see cref="Image"/>. Dispose removes the containers,
/// stops dockerd by PID and removes the sandbox (and whatever tests put in it, <see cref="PathOf"/>).
/// </summary>
public class DockerDaemon : IContainerEngine, IDisposable
{
    public const string Image = "berth-test-busybox:latest";

    readonly EngineSandbox _sandbox;
    readonly string _cli;
    readonly Dictionary<string, string> _cliEnvironment;
    // containerd's shims put their sockets in /run/containerd/s whatever containerd's root is.
    readonly bool _shimDirectoryExisted = Directory.Exists("/run/containerd");
    Process? _dockerd;

    /// <summary>A dockerd with its default runtime (runc) only.</summary>
    public DockerDaemon()
        : this(null)
    {
    }

    /// <param name="runtime">An OCI runtime executable to register as "berth" (--add-runtime), or null.</param>
    /// <remarks>Protected: xunit wants one public constructor on a fixture; subclasses (the runtime tests') pass a runtime.</remarks>
    protected DockerDaemon(string? runtime)
    {
        string dockerd = HostTools.Require("dockerd", "docker.io");
        _cli = HostTools.Require("docker", "docker.io");
        Runtime = runtime;
        _sandbox = new EngineSandbox("docker");
        _cliEnvironment = new() { ["DOCKER_CONFIG"] = _sandbox.PathOf("cli"), ["DOCKER_BUILDKIT"] = "0" };
        try
        {
            Start(dockerd);
            Cli("import", BusyboxRootfs.Tar(_sandbox.PathOf("busybox.tar")), Image).EnsureSuccess("docker import of the busybox rootfs");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The runtime registered as "berth", if any.</summary>
    public string? Runtime { get; }

    public string Socket => _sandbox.PathOf("docker.sock");

    public string ExecRoot => _sandbox.PathOf("exec");

    /// <summary>A path in the daemon's sandbox: removed with it, also when a test fails.</summary>
    public string PathOf(string relative) => _sandbox.PathOf(relative);

    /// <summary>Where containerd's shim keeps berth-runtime's state (its --root) for Docker's "moby" namespace.</summary>
    public string RuntimeRoot => Path.Combine(ExecRoot, "runtime-runc", "moby");

    /// <summary>The docker CLI against this daemon.</summary>
    public string Name => "docker";

    public CommandResult Cli(params string[] args) => Cli((IEnumerable<string>)args);

    public CommandResult Cli(IEnumerable<string> args, TimeSpan? timeout = null)
        => ProcessRunner.Run(_cli, ["--host", "unix://" + Socket, .. args], timeout: timeout, environment: _cliEnvironment);

    /// <summary>`docker run --runtime berth --network none` with the rest of the arguments (without --runtime when none was registered).</summary>
    public CommandResult Run(params string[] args)
        => Cli(["run", .. Runtime is null ? Array.Empty<string>() : ["--runtime", "berth"], "--network", "none", .. args]);

    /// <summary>Starts a detached container with the given name running <paramref name="command"/> (sleep by default).</summary>
    public string StartDetached(string name, string[] options, params string[] command)
    {
        Run(["-d", "--name", name, .. options, Image, .. command.Length > 0 ? command : ["sleep", "1000"]]).EnsureSuccess($"docker run -d {name}");
        return name;
    }

    /// <summary>`docker inspect -f`.</summary>
    public string Inspect(string name, string format) => Cli("inspect", "-f", format, name).EnsureSuccess($"docker inspect {name}").Stdout.Trim();

    /// <summary>The docker CLI on a new pseudo-terminal (for -it).</summary>
    public PtySession Terminal(params string[] args) => PtySession.Start(_cli, ["--host", "unix://" + Socket, .. args], _cliEnvironment);

    /// <summary>berth-runtime's own view of a container (`state` with the shim's --root): proves berth-runtime runs it.</summary>
    public string RuntimeStatus(string name)
    {
        string id = Inspect(name, "{{.Id}}");
        string runtime = Runtime ?? throw new InvalidOperationException("no berth runtime registered with this dockerd");
        var state = ProcessRunner.Run(runtime, ["--root", RuntimeRoot, "state", id]).EnsureSuccess($"berth-runtime state {id}");
        return JsonDocument.Parse(state.Stdout).RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>Removes a container if it exists (tests call it in finally).</summary>
    public void Remove(string name) => Cli("rm", "-f", name);

    void Start(string dockerd)
    {
        File.WriteAllText(_sandbox.PathOf("daemon.json"), JsonSerializer.Serialize(new Dictionary<string, string>
        {
            // dockerd 20.10 writes its trust key to /etc/docker/key.json unless told otherwise.
            ["deprecated-key-path"] = _sandbox.PathOf("key.json"),
        }));
        string[] args =
        [
            "--config-file", _sandbox.PathOf("daemon.json"),
            "--data-root", _sandbox.PathOf("data"),
            "--exec-root", ExecRoot,
            "--pidfile", _sandbox.PathOf("docker.pid"),
            "--host", "unix://" + Socket,
            "--exec-opt", "native.cgroupdriver=cgroupfs",
            "--cgroup-parent", _sandbox.CgroupParent,
            "--storage-driver", _sandbox.StorageDriver("overlay2"),
            "--bridge", "none",
            "--iptables=false",
            "--ip6tables=false",
            "--ip-masq=false",
            "--ip-forward=false",
            "--userland-proxy=false",
            .. Runtime is null ? Array.Empty<string>() : ["--add-runtime", "berth=" + Runtime],
        ];
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in new[] { "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", _sandbox.PathOf("dockerd.log"), dockerd })
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        _dockerd = Process.Start(info) ?? throw new InvalidOperationException("cannot start dockerd");
        _dockerd.StandardInput.Close();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_dockerd.HasExited)
                Assert.Fail($"dockerd exited with status {_dockerd.ExitCode} while starting:\n{LogTail()}");
            if (File.Exists(Socket) && Cli("version", "--format", "{{.Server.Version}}").ExitCode == 0)
                return;
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"dockerd did not answer on {Socket} within 60 s:\n{LogTail()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>The end of dockerd's log, for failure messages.</summary>
    public string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(_sandbox.PathOf("dockerd.log"));
            return string.Join('\n', lines.TakeLast(40));
        }
        catch (IOException)
        {
            return "(no dockerd log)";
        }
    }

    public void Dispose()
    {
        try
        {
            if (_dockerd is { HasExited: false })
            {
                var ids = Cli("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0)
                    Cli(["rm", "-f", .. ids]);
                // SIGTERM lets dockerd stop its containerd; SIGKILL if it takes too long.
                Processes.TryKill(_dockerd.Id, Signals.SIGTERM);
                if (!_dockerd.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    Processes.TryKill(_dockerd.Id, Signals.SIGKILL);
                    _dockerd.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            _dockerd?.Dispose();
            _sandbox.Dispose();
            if (!_shimDirectoryExisted)
                RemoveEmptyDirectories("/run/containerd/s", "/run/containerd");
        }
    }

    static void RemoveEmptyDirectories(params string[] dirs)
    {
        foreach (var dir in dirs)
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                    Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Someone else's shim appeared meanwhile: theirs.
            }
        }
    }
}
