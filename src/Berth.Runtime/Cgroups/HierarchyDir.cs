namespace Berth.Runtime.Cgroups;

/// <summary>A container's directory in one hierarchy.</summary>
/// <param name="Key">The hierarchy's controller list ("cpu,cpuacct", "name=systemd"), "" for cgroup2.</param>
/// <param name="MountPoint">Where the hierarchy is mounted ("" if unknown, for a record of a hierarchy no longer mounted).</param>
/// <param name="Dir">The container's directory.</param>
internal sealed record HierarchyDir(string Key, string MountPoint, string Dir)
{
    public bool Has(string controller) => Key.Split(',').Contains(controller);

    /// <summary>The mount point's directory name ("memory", "cpu,cpuacct", "systemd").</summary>
    public string MountName => MountPoint.Length > 0 ? Path.GetFileName(MountPoint.TrimEnd('/')) : Key;
}
