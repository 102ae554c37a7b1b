using Berth.Engine.Logs;

namespace Berth.Engine;

/// <summary>An OCI runtime the engine can run containers with (dockerd's "runtimes").</summary>
public sealed record RuntimeDefinition(string Name, string Path, IReadOnlyList<string> Args);

/// <summary>
/// How an engine is set up: dockerd's options where they apply. Everything has an embedded
/// default, so a daemon starts without a config file.
/// </summary>
public sealed class EngineOptions
{
    public const string DefaultRuntimeName = "berth";

    /// <summary>Persistent state: images, containers, logs (dockerd's --data-root).</summary>
    public string DataRoot { get; init; } = "/var/lib/berth";

    /// <summary>Runtime state: bundles, shim sockets, the runtimes' roots (dockerd's --exec-root).</summary>
    public string ExecRoot { get; init; } = "/run/berth";

    /// <summary>The runtimes by name; "berth" (berth-runtime) is always there, runc and crun when installed.</summary>
    public IReadOnlyDictionary<string, RuntimeDefinition> Runtimes { get; init; } = new Dictionary<string, RuntimeDefinition>();

    public string DefaultRuntime { get; init; } = DefaultRuntimeName;

    /// <summary>The log driver of containers that do not name one (dockerd's log-driver and log-opts).</summary>
    public LogConfig DefaultLogConfig { get; init; } = new("json-file", new Dictionary<string, string>());

    /// <summary>Keep containers running when the daemon stops (dockerd's --live-restore).</summary>
    public bool LiveRestore { get; init; }

    /// <summary>The shim executable (berth-shim), by default next to the daemon's own.</summary>
    public string ShimPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "berth-shim");

    /// <summary>Run every container's command under berth-init unless it says otherwise (dockerd's --init).</summary>
    public bool Init { get; init; }

    /// <summary>The init executable for --init (dockerd's init-path): berth-init, by default next to the daemon's own.</summary>
    public string InitPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "berth-init");

    /// <summary>The daemon's seccomp profile as docker info names it (dockerd's seccomp-profile): builtin, unconfined, or a file's path.</summary>
    public string SeccompProfile { get; init; } = Security.ContainerSeccomp.Builtin;

    /// <summary>The content of the profile file named by <see cref="SeccompProfile"/>, read when the daemon starts; null for builtin and unconfined.</summary>
    public string? SeccompProfileJson { get; init; }

    /// <summary>no_new_privs for every container unless it says otherwise (dockerd's --no-new-privileges).</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>Snapshotter: overlayfs unless the data root cannot carry it (then vfs), or as named.</summary>
    public string? StorageDriver { get; init; }

    /// <summary>Ulimits every container gets unless it sets its own (dockerd's default-ulimits).</summary>
    public IReadOnlyList<Model.Ulimit> DefaultUlimits { get; init; } = [];

    /// <summary>The cgroup every container's own cgroup is made in (dockerd's --cgroup-parent); Berth only writes under a "berth" parent.</summary>
    public string CgroupParent { get; init; } = "/berth";

    /// <summary>The daemon's name in info (the host name by default).</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>The default bridge network's Linux bridge (dockerd's --bridge; made when missing).</summary>
    public string BridgeName { get; init; } = "berth0";

    /// <summary>The default bridge's address with its prefix (dockerd's --bip, "172.17.0.1/16"); a free default pool when null.</summary>
    public string? BridgeAddress { get; init; }

    /// <summary>Registries reached over plain http (dockerd's insecure-registries: host[:port] or CIDR; loopback always is).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Docker Hub mirrors tried before Docker Hub itself (dockerd's registry-mirrors).</summary>
    public IReadOnlyList<string> RegistryMirrors { get; init; } = [];

    public string ContainersDirectory => Path.Combine(DataRoot, "containers");

    public string ImagesDirectory => Path.Combine(DataRoot, "image");

    public string BundlesDirectory => Path.Combine(ExecRoot, "bundles");

    public string ShimsDirectory => Path.Combine(ExecRoot, "s");

    /// <summary>
    /// A container's shim directory: short (the first 16 hex digits of its ID), because unix socket
    /// paths end at 108 bytes and the shim's sockets live in it.
    /// </summary>
    public string ShimState(string containerId) => Path.Combine(ShimsDirectory, containerId[..16]);

    public string RuntimeRoot(string runtime) => Path.Combine(ExecRoot, "runtime-" + runtime);
}
