namespace Berth.Linux.Cgroups;

/// <summary>
/// Finds the cgroup hierarchies from /proc/self/mountinfo (cgroup and cgroup2 mounts) and this
/// process's cgroup in each from /proc/self/cgroup.
/// </summary>
public static class Hierarchies
{
    /// <summary>The layout of this process's mount namespace; for cgroup2, the controllers its root offers.</summary>
    public static CgroupLayout Detect()
    {
        var layout = Parse(File.ReadAllLines("/proc/self/mountinfo"), File.ReadAllText("/proc/self/cgroup"));
        if (layout.Unified is { } unified && CgroupFiles.TryRead(unified.MountPoint, "cgroup.controllers", out string controllers))
            layout = layout with { Unified = unified with { Controllers = CgroupFiles.Words(controllers) } };
        return layout;
    }

    /// <summary>
    /// The layout described by a mountinfo and a /proc/PID/cgroup text. The cgroup2 hierarchy's
    /// controllers are left empty (they are read from its root by <see cref="Detect"/>).
    /// Named v1 hierarchies (name=systemd) are kept as v1 hierarchies unless no v1 hierarchy has a
    /// controller, in which case the machine is cgroup v2 and they are left out.
    /// </summary>
    public static CgroupLayout Parse(IEnumerable<string> mountinfo, string procCgroup)
    {
        var mounts = mountinfo.Select(MountInfo.Parse)
            .Where(m => m is not null && m.FsType is "cgroup" or "cgroup2")
            .Select(m => m!)
            .ToList();
        var v1 = new List<CgroupHierarchy>();
        CgroupHierarchy? unified = null;
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-ID:controller-list:cgroup-path (the path may contain ':')
            int first = line.IndexOf(':');
            int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
                continue;
            string key = line[(first + 1)..second];
            string own = line[(second + 1)..];
            if (key.Length == 0)
            {
                var mount = Choose(mounts.Where(m => m.FsType == "cgroup2"), own);
                if (mount is not null)
                    unified = new CgroupHierarchy("", [], mount.MountPoint, mount.Root, own);
                continue;
            }
            var controllers = key.Split(',');
            var match = Choose(mounts.Where(m => m.FsType == "cgroup" && HasAll(m.SuperOptions, controllers)), own);
            if (match is not null)
                v1.Add(new CgroupHierarchy(key, controllers, match.MountPoint, match.Root, own));
        }
        if (v1.All(h => h.Controllers.All(c => c.StartsWith("name=", StringComparison.Ordinal))))
            v1.Clear();
        // In mountinfo order (/proc/self/cgroup lists them the other way round): the order in which
        // runc mounts them into a container, so its /sys/fs/cgroup looks the same.
        v1 = [.. v1.OrderBy(h => mounts.FindIndex(m => m.MountPoint == h.MountPoint))];
        return new CgroupLayout(v1, unified);
    }

    static bool HasAll(string superOptions, string[] controllers)
    {
        var options = superOptions.Split(',');
        return controllers.All(c => options.Contains(c));
    }

    /// <summary>Of several mounts of one hierarchy, the one that shows the whole hierarchy, else one that shows our cgroup.</summary>
    static MountInfo? Choose(IEnumerable<MountInfo> candidates, string own)
    {
        MountInfo? containing = null, any = null;
        foreach (var m in candidates)
        {
            if (m.Root == "/")
                return m;
            if (containing is null && (own == m.Root || own.StartsWith(m.Root + "/", StringComparison.Ordinal)))
                containing = m;
            any ??= m;
        }
        return containing ?? any;
    }
}
