namespace Berth.Linux.Cgroups;

/// <summary>
/// One mounted cgroup hierarchy: a v1 hierarchy with its controllers (<c>cpu,cpuacct</c>, or a
/// named one such as <c>name=systemd</c>), or the cgroup2 unified hierarchy (empty key).
/// </summary>
/// <param name="Key">The controller list as /proc/self/cgroup shows it ("cpu,cpuacct", "name=systemd"), "" for cgroup2.</param>
/// <param name="Controllers">The v1 controllers (and name=...) of the hierarchy; for cgroup2 those its root offers (cgroup.controllers).</param>
/// <param name="MountPoint">Where it is mounted, e.g. /sys/fs/cgroup/memory or /sys/fs/cgroup/unified.</param>
/// <param name="MountRoot">The cgroup the mount shows at its mount point ("/" unless a subtree is mounted, as in a container).</param>
/// <param name="OwnPath">This process's cgroup in the hierarchy, from /proc/self/cgroup ("/process_api/abc").</param>
public sealed record CgroupHierarchy(string Key, IReadOnlyList<string> Controllers, string MountPoint, string MountRoot, string OwnPath)
{
    public bool IsUnified => Key.Length == 0;

    /// <summary>The directory name of the mount point ("memory", "cpu,cpuacct", "systemd", "unified").</summary>
    public string MountName => Path.GetFileName(MountPoint.TrimEnd('/'));

    public bool Has(string controller) => Controllers.Contains(controller);

    /// <summary>The host directory of a cgroup given by its absolute path in the hierarchy.</summary>
    public string DirectoryOf(string cgroupPath)
    {
        if (cgroupPath.Length == 0 || cgroupPath[0] != '/')
            throw new ArgumentException($"cgroup path \"{cgroupPath}\" is not absolute", nameof(cgroupPath));
        string path = cgroupPath;
        // A mount of a subtree (the mount's root is not "/") shows that subtree at the mount point.
        if (MountRoot != "/" && (path == MountRoot || path.StartsWith(MountRoot + "/", StringComparison.Ordinal)))
            path = path[MountRoot.Length..];
        string joined = MountPoint.TrimEnd('/') + path.TrimEnd('/');
        return joined.Length == 0 ? "/" : joined;
    }
}
