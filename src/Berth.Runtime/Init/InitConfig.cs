using Berth.Oci.Runtime;

namespace Berth.Runtime.Init;

/// <summary>
/// What the runtime tells a container's init (or exec) process over the init pipe, after
/// nsenter.c has put it into its namespaces: the spec, and the facts only the runtime knows.
/// </summary>
public sealed class InitConfig
{
    /// <summary>True for `exec` into a running container: no rootfs set-up, no exec fifo.</summary>
    public bool IsExec { get; set; }

    public string ContainerId { get; set; } = "";

    /// <summary>This process's pid as the runtime sees it (for hook state).</summary>
    public int HostPid { get; set; }

    /// <summary>Absolute path of the bundle, for the state given to hooks.</summary>
    public string Bundle { get; set; } = "";

    /// <summary>The container's spec; for exec its process is the one to run. Travels as the raw JSON
    /// of <see cref="SpecJson"/> (and <see cref="ProcessJson"/>), not in the config frame.</summary>
    public RuntimeSpec Spec { get; set; } = new();

    /// <summary>config.json as read from the bundle (or the state directory, for exec).</summary>
    public byte[] SpecJson { get; set; } = [];

    /// <summary>For exec: the process to run, replacing the spec's.</summary>
    public byte[]? ProcessJson { get; set; }

    /// <summary>The spec's seccomp filter, compiled by the runtime; travels as its own frame. Null: no filter, or
    /// one with SCMP_ACT_NOTIFY, which the init builds with libseccomp.</summary>
    internal Seccomp.SeccompProgram? SeccompProgram { get; set; }

    /// <summary>Absolute host path of the root file system.</summary>
    public string Rootfs { get; set; } = "";

    public bool NoPivot { get; set; }

    public bool NoNewKeyring { get; set; }

    /// <summary>Descriptor of the --console-socket connection in this process, or -1.</summary>
    public int ConsoleSocketFd { get; set; } = -1;

    /// <summary>O_PATH descriptor of the exec fifo that `start` opens, or -1 (exec).</summary>
    public int ExecFifoFd { get; set; } = -1;

    /// <summary>Descriptors 3 .. 3+PreserveFds-1 are passed on to the container process.</summary>
    public int PreserveFds { get; set; }

    /// <summary>Namespaces created (not joined) for this container.</summary>
    public bool NewMountNamespace { get; set; }

    public bool NewNetworkNamespace { get; set; }

    public bool NewUtsNamespace { get; set; }

    public bool NewUserNamespace { get; set; }

    public bool NewCgroupNamespace { get; set; }

    /// <summary>Inside a user namespace: device nodes are bind-mounted from the host instead of made.</summary>
    public bool InUserNamespace { get; set; }

    /// <summary>Host directories of the container's cgroup, one per hierarchy, for cgroup mounts.</summary>
    public List<CgroupMountSource> CgroupMounts { get; set; } = [];

    /// <summary>Whether the runtime has prestart/createRuntime hooks to run before pivot_root.</summary>
    public bool HasCreateRuntimeHooks { get; set; }
}

/// <summary>One cgroup hierarchy as the container should see it: <c>/sys/fs/cgroup/Name</c> (v1)
/// or the whole of <c>/sys/fs/cgroup</c> (v2, empty name), bound from <c>HostPath</c>.</summary>
public sealed class CgroupMountSource
{
    public string Name { get; set; } = "";

    public string HostPath { get; set; } = "";

    /// <summary>For v1 hierarchies mounted together (cpu,cpuacct): the names to link to it.</summary>
    public List<string> Aliases { get; set; } = [];
}
