using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Podman;

/// <summary>
/// Debian's Podman (4.3) with berth-runtime as its OCI runtime (--runtime, the published NativeAOT
/// executable), everything private to an <see cref="EngineSandbox"/>: storage root and run root,
/// tmpdir, file locks, events file, network config, containers.conf and storage.conf, and
/// berth-runtime's state root (--runtime-flag root=). No systemd here: cgroupfs under the sandbox's
/// /berth/podman/&lt;name&gt;. Containers run with --network none and with ulimits within this
/// machine's hard limits (Podman's default nofile of 1048576 needs CAP_SYS_RESOURCE). The busybox
/// rootfs is imported offline as <see cref="Image"/>. Shared by the Podman collection.
/// </summary>
public sealed class PodmanHost : IContainerEngine, IDisposable
{
    public const string Image = "localhost/berth-test-busybox:latest";

    /// <summary>Podman writes these on the host whatever it is told (netavark's run directory, the image
    /// copy's blob-info cache); removed on dispose when they were not there before.</summary>
    static readonly string[] HostDirectories = ["/run/containers", "/var/lib/containers"];

    readonly EngineSandbox _sandbox;
    readonly string _podman;
    readonly Dictionary<string, string> _environment;
    readonly string[] _globalArgs;
    readonly List<string> _hostDirectoriesMade;
    string[]? _runcArgs;

    public PodmanHost()
    {
        _podman = HostTools.Require("podman", "podman");
        Runtime = RepoPaths.Executable("berth-runtime");
        _hostDirectoriesMade = HostDirectories.Where(d => !Directory.Exists(d)).ToList();
        _sandbox = new EngineSandbox("podman");
        try
        {
            _environment = WriteConfiguration();
            _globalArgs =
            [
                "--root", _sandbox.PathOf("root"),
                "--runroot", _sandbox.PathOf("runroot"),
                "--tmpdir", _sandbox.PathOf("tmp"),
                "--storage-driver", _sandbox.StorageDriver("overlay"),
                "--cgroup-manager=cgroupfs",
                "--events-backend=file",
                "--runtime", Runtime,
            ];
            Cli("import", BusyboxRootfs.Tar(_sandbox.PathOf("busybox.tar")), Image).EnsureSuccess("podman import of the busybox rootfs");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The berth-runtime executable Podman runs.</summary>
    public string Runtime { get; }

    /// <summary>
    /// berth-runtime's state root for Podman's containers: its default, as users run it. (A private one
    /// given with --runtime-flag does not reach the runtime's delete when conmon's exit command,
    /// `podman container cleanup`, wins the race: Podman 4.3 leaves the runtime flags out of it.)
    /// Podman's container IDs are random, so these never meet another test's.
    /// </summary>
    public string RuntimeRoot => "/run/berth-runtime";

    public string Name => "podman";

    public CommandResult Cli(params string[] args) => Cli((IEnumerable<string>)args);

    /// <param name="runtime">"runc" to run the command with Debian's runc instead (for comparisons).</param>
    public CommandResult Cli(IEnumerable<string> args, TimeSpan? timeout = null, string? runtime = null)
        => ProcessRunner.Run(_podman, [.. runtime == "runc" ? RuncArgs() : _globalArgs, .. args], timeout: timeout, environment: _environment);

    /// <summary>The global arguments with runc (at its own default root) in berth-runtime's place.</summary>
    string[] RuncArgs()
    {
        if (_runcArgs is null)
        {
            var args = _globalArgs.ToList();
            args[args.IndexOf("--runtime") + 1] = HostTools.Require("runc", "runc");
            _runcArgs = [.. args];
        }
        return _runcArgs;
    }

    /// <summary>The options every `podman run` here needs.</summary>
    public string[] RunOptions =>
    [
        "--network", "none",
        "--cgroup-parent", _sandbox.CgroupParent,
        "--ulimit", "nofile=20000:20000",
        "--ulimit", "nproc=32768:32768",
    ];

    /// <summary>`podman run` with <see cref="RunOptions"/> and the rest of the arguments.</summary>
    public CommandResult Run(params string[] args) => Cli(["run", .. RunOptions, .. args]);

    /// <summary>Starts a detached container with the given name running <paramref name="command"/> (sleep by default).</summary>
    public string StartDetached(string name, string[] options, params string[] command)
    {
        Run(["-d", "--name", name, .. options, Image, .. command.Length > 0 ? command : ["sleep", "1000"]]).EnsureSuccess($"podman run -d {name}");
        return name;
    }

    public string Inspect(string name, string format) => Cli("inspect", "-f", format, name).EnsureSuccess($"podman inspect {name}").Stdout.Trim();

    /// <summary>Podman on a new pseudo-terminal (for -it).</summary>
    public PtySession Terminal(params string[] args) => PtySession.Start(_podman, [.. _globalArgs, .. args], _environment);

    /// <summary>berth-runtime's own view of a container (`state` with Podman's --root for it).</summary>
    public string RuntimeStatus(string name)
    {
        string id = Inspect(name, "{{.Id}}");
        var state = ProcessRunner.Run(Runtime, ["--root", RuntimeRoot, "state", id]).EnsureSuccess($"berth-runtime state {id}");
        return JsonDocument.Parse(state.Stdout).RootElement.GetProperty("status").GetString()!;
    }

    public void Remove(string name) => Cli("rm", "-f", "-t", "0", name);

    /// <summary>containers.conf and storage.conf that keep Podman's state in the sandbox.</summary>
    Dictionary<string, string> WriteConfiguration()
    {
        string dir = _sandbox.Directory;
        File.WriteAllText(_sandbox.PathOf("containers.conf"), $"""
            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            events_logfile_path = "{dir}/events.log"
            # File locks in tmp_dir instead of the host-wide /dev/shm/libpod_lock.
            lock_type = "file"
            tmp_dir = "{dir}/tmp"
            static_dir = "{dir}/root/libpod"
            volume_path = "{dir}/volumes"
            image_copy_tmp_dir = "{dir}/tmp"

            [network]
            network_config_dir = "{dir}/networks"
            """);
        File.WriteAllText(_sandbox.PathOf("storage.conf"), $"""
            [storage]
            driver = "{_sandbox.StorageDriver("overlay")}"
            graphroot = "{dir}/root"
            runroot = "{dir}/runroot"
            """);
        return new Dictionary<string, string>
        {
            ["CONTAINERS_CONF"] = _sandbox.PathOf("containers.conf"),
            ["CONTAINERS_STORAGE_CONF"] = _sandbox.PathOf("storage.conf"),
        };
    }

    public void Dispose()
    {
        try
        {
            if (_environment is not null)
                Cli("rm", "--all", "--force", "--time", "0");
        }
        finally
        {
            _sandbox.Dispose();
            foreach (var dir in _hostDirectoriesMade)
            {
                try
                {
                    if (Directory.Exists(dir))
                        Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
