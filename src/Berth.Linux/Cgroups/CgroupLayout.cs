namespace Berth.Linux.Cgroups;

/// <summary>Which cgroup hierarchies a machine has.</summary>
public enum CgroupMode
{
    /// <summary>No cgroup file system is mounted.</summary>
    None,
    /// <summary>Only cgroup v1 hierarchies.</summary>
    V1,
    /// <summary>v1 controller hierarchies plus a cgroup2 mount (usually /sys/fs/cgroup/unified) for the rest.</summary>
    Hybrid,
    /// <summary>Only the unified cgroup2 hierarchy (usually at /sys/fs/cgroup).</summary>
    V2,
}

/// <summary>The cgroup hierarchies mounted in this mount namespace, with this process's place in each.</summary>
public sealed record CgroupLayout(IReadOnlyList<CgroupHierarchy> V1, CgroupHierarchy? Unified)
{
    public CgroupMode Mode => (V1.Count, Unified) switch
    {
        (0, null) => CgroupMode.None,
        (0, _) => CgroupMode.V2,
        (_, null) => CgroupMode.V1,
        _ => CgroupMode.Hybrid,
    };

    /// <summary>The v1 hierarchy that has <paramref name="controller"/>, if one is mounted.</summary>
    public CgroupHierarchy? V1For(string controller) => V1.FirstOrDefault(h => h.Has(controller));
}
