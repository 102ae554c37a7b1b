using System.Diagnostics;
using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// The published berthd (artifacts/bin) on a private data root, exec root, pidfile and socket in an
/// <see cref="EngineSandbox"/>, with container cgroups under the sandbox's cgroup parent; the real
/// docker CLI (v28, /usr/local/bin/docker) pointed at it. The busybox rootfs is imported offline as
/// <see cref="Image"/>. Dispose removes the containers, stops berthd by PID and removes the sandbox.
/// </summary>
public sealed class BerthDaemon : IDisposable
{
    public const string Image = "berth-test-busybox:latest";

    readonly EngineSandbox _sandbox;
    readonly string _berthd;
    readonly string _cli;
    readonly Dictionary<string, string> _cliEnvironment;
    Process? _process;

    public BerthDaemon()
        : this([])
    {
    }

    /// <param name="extraArgs">More berthd flags (--live-restore, --add-runtime, ...).</param>
    public BerthDaemon(IReadOnlyList<string> extraArgs, bool importImage = true)
    {
        _berthd = RepoPaths.Executable("berthd");
        RepoPaths.Executable("berth-shim");
        RepoPaths.Executable("berth-runtime");
        _cli = File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : HostTools.Require("docker", "docker.io");
        _sandbox = new EngineSandbox("berthd");
        _cliEnvironment = new() { ["DOCKER_CONFIG"] = _sandbox.PathOf("cli"), ["DOCKER_BUILDKIT"] = "0" };
        ExtraArgs = extraArgs;
        try
        {
            Start();
            if (importImage)
                Cli("import", BusyboxRootfs.Tar(_sandbox.PathOf("busybox.tar")), Image).EnsureSuccess("docker import of the busybox rootfs");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> ExtraArgs { get; }

    public string Socket => _sandbox.PathOf("berth.sock");

    public string DataRoot => _sandbox.PathOf("data");

    public string ExecRoot => _sandbox.PathOf("exec");

    public string CgroupParent => _sandbox.CgroupParent;

    /// <summary>The daemon's own default bridge ("bt" and random hex): daemons of parallel tests never share one.</summary>
    public string Bridge { get; } = "bt" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));

    public int Pid => _process?.Id ?? 0;

    public string PathOf(string relative) => _sandbox.PathOf(relative);

    /// <summary>The docker CLI against this daemon.</summary>
    public CommandResult Cli(params string[] args) => Cli((IEnumerable<string>)args);

    public CommandResult Cli(IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
        => ProcessRunner.Run(_cli, ["--host", "unix://" + Socket, .. args], timeout: timeout, environment: _cliEnvironment, stdin: stdin);

    /// <summary>The docker CLI on a new pseudo-terminal (for -it).</summary>
    public PtySession Terminal(params string[] args) => PtySession.Start(_cli, ["--host", "unix://" + Socket, .. args], _cliEnvironment);

    /// <summary>A client for the daemon's API itself (dispose it).</summary>
    public HttpClient Api() => UnixHttp.Client(Socket);

    public string Inspect(string name, string format) => Cli("inspect", "-f", format, name).EnsureSuccess($"docker inspect {name}").Stdout.Trim();

    /// <summary>Starts berthd (again, after <see cref="Kill"/>) and waits until it answers.</summary>
    public void Start()
    {
        string[] args =
        [
            "--data-root", DataRoot,
            "--exec-root", ExecRoot,
            "--pidfile", _sandbox.PathOf("berthd.pid"),
            "--host", "unix://" + Socket,
            "--cgroup-parent", _sandbox.CgroupParent,
            "--storage-driver", _sandbox.StorageDriver("overlayfs"),
            "--bridge", Bridge,
            .. ExtraArgs,
        ];
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", _sandbox.PathOf("berthd.log"), _berthd })
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start berthd");
        _process.StandardInput.Close();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                Assert.Fail($"berthd exited with status {_process.ExitCode} while starting:\n{LogTail()}");
            if (File.Exists(Socket) && Cli("version", "--format", "{{.Server.Version}}").ExitCode == 0)
                return;
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                Assert.Fail($"berthd did not answer on {Socket} within 30 s:\n{LogTail()}");
            Thread.Sleep(50);
        }
    }

    /// <summary>kill -9 of berthd (its containers and shims live on).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            Processes.TryKill(p.Id, Signals.SIGKILL);
            p.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    public string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(_sandbox.PathOf("berthd.log")).TakeLast(40));
        }
        catch (IOException)
        {
            return "(no berthd log)";
        }
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                var ids = Cli("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0)
                    Cli(["rm", "-f", .. ids]);
                Cli("network", "prune", "-f");
                Processes.TryKill(_process.Id, Signals.SIGTERM);
                if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    Processes.TryKill(_process.Id, Signals.SIGKILL);
                    _process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            _process?.Dispose();
            NetworkLeftovers.RemoveBridge(Bridge);
            _sandbox.Dispose();
        }
    }
}
