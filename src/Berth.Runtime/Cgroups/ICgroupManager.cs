using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's cgroup on every hierarchy the machine has: cgroup v1 (one directory per
/// controller hierarchy), v2 (one directory in the unified hierarchy) or hybrid (v1 controllers
/// plus the unified hierarchy at /sys/fs/cgroup/unified, which may own some controllers such as
/// hugetlb). Created by the runtime under the path the spec gives (by default berth/&lt;id&gt;),
/// and removed with the container. Directories the runtime did not create are never written.
///
/// Lifecycle: <see cref="Create"/> and <see cref="Apply"/> at container create, then
/// <see cref="AddProcess"/> for the init and exec processes; <see cref="Freeze"/>/<see cref="Thaw"/>
/// for pause/resume; <see cref="Destroy"/> at delete. A manager for an existing container is
/// rebuilt from its <see cref="CgroupRecord"/>.
/// </summary>
internal interface ICgroupManager
{
    /// <summary>What to persist to rebuild this manager in a later runtime command.</summary>
    CgroupRecord Record { get; }

    /// <summary>The container's directory on each hierarchy, as the container's cgroup mounts show them.</summary>
    IReadOnlyList<CgroupMountSource> MountSources { get; }

    /// <summary>Makes the directories (and missing parents), remembering which it made.</summary>
    void Create();

    /// <summary>Writes the limits; a value the kernel refuses fails with the spec field named.</summary>
    void Apply(LinuxResources? resources);

    /// <summary>Moves a running process in (cgroup.procs).</summary>
    void AddProcess(int pid);

    /// <summary>How a process about to enter the container joins the cgroup by itself (nsenter.c, at its start).</summary>
    CgroupJoin Join { get; }

    /// <summary>Every process in the container's cgroup (recursively, v2 and v1).</summary>
    IReadOnlyList<int> Pids();

    void Freeze();

    void Thaw();

    bool IsFrozen();

    CgroupStats Stats();

    /// <summary>How many times the kernel's OOM killer acted in this cgroup (memory.events oom_kill / memory.oom_control).</summary>
    long OomKillCount();

    /// <summary>Removes the directories it created (deepest first), waiting briefly for exiting processes.</summary>
    void Destroy();
}

/// <summary>
/// What nsenter.c needs to place a container's process in its cgroup without a migration by pid,
/// which costs a whole RCU grace period (the kernel's global threadgroup lock): the cgroup v1
/// `tasks` files it writes 0 to while single-threaded, and the cgroup v2 directory it starts the
/// final process in (clone3 CLONE_INTO_CGROUP).
/// </summary>
internal sealed record CgroupJoin(IReadOnlyList<string> V1TaskFiles, string? V2Dir)
{
    public static readonly CgroupJoin None = new([], null);
}

/// <summary>The persisted form of a container's cgroup.</summary>
public sealed class CgroupRecord
{
    /// <summary>
    /// linux.cgroupsPath after defaults (berth/&lt;id&gt; when unset). An absolute path is the same in every
    /// hierarchy; a relative one is nested in each hierarchy under the runtime's own cgroup there, so the
    /// directories can differ per hierarchy: <see cref="Paths"/> has them.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>Hierarchy (controller list as mounted, e.g. "cpu,cpuacct", or "" for v2/unified) to the container's directory (a host path).</summary>
    public Dictionary<string, string> Paths { get; set; } = [];

    /// <summary>Directories made by the runtime (host paths, parents first, deepest last), to remove at delete, deepest first.</summary>
    public List<string> Created { get; set; } = [];

    /// <summary>True on a cgroup v2 machine (the unified hierarchy only); false on v1 and hybrid ones.</summary>
    public bool Unified { get; set; }
}
