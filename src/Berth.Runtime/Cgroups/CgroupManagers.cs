using Berth.Linux;
using Berth.Linux.Cgroups;

namespace Berth.Runtime.Cgroups;

/// <summary>Where cgroup managers come from: a new container's, or an existing one's from its record.</summary>
internal static class CgroupManagers
{
    /// <summary>
    /// The cgroup of a new container, for the machine's hierarchies (v1, v2 or hybrid), at
    /// linux.cgroupsPath (see <see cref="CgroupPaths"/>). Nothing is made until Create.
    /// </summary>
    public static ICgroupManager ForNew(string? cgroupsPath, string containerId)
    {
        string path = CgroupPaths.Normalize(cgroupsPath, containerId);
        bool rootless = IsRootless();
        CgroupLayout layout;
        try
        {
            layout = Hierarchies.Detect();
        }
        catch (Exception e) when (e is IOException or LinuxException or FormatException)
        {
            throw new RuntimeError(ErrorKind.Internal, $"find cgroup hierarchies: {e.Message}", e);
        }
        return ForLayout(layout, path, rootless);
    }

    /// <summary>The cgroup at <paramref name="path"/> (normalized) on the given hierarchies.</summary>
    internal static ICgroupManager ForLayout(CgroupLayout layout, string path, bool rootless)
    {
        var record = new CgroupRecord { Path = path };
        HierarchyDir DirIn(CgroupHierarchy h) => new(h.Key, h.MountPoint, h.DirectoryOf(CgroupPaths.InHierarchy(path, h.OwnPath)));
        ICgroupManager manager = layout.Mode switch
        {
            CgroupMode.V1 => new CgroupV1Manager(record, layout.V1.Select(DirIn).ToList(), rootless),
            CgroupMode.V2 => new CgroupV2Manager(record, DirIn(layout.Unified!), [], rootless),
            CgroupMode.Hybrid => Hybrid(record, layout.V1.Select(DirIn).ToList(), DirIn(layout.Unified!), rootless),
            _ when rootless => new NoCgroupManager(record),
            _ => throw new RuntimeError(ErrorKind.Unsupported, "no cgroup file system is mounted (neither cgroup v1 hierarchies nor cgroup2 in /proc/self/mountinfo)"),
        };
        if (layout.Mode == CgroupMode.V2)
            record.Unified = true;
        return rootless && manager is not NoCgroupManager ? new RootlessManager(manager) : manager;
    }

    /// <summary>The manager of an existing container; one without a cgroup (empty record) gets one that does nothing.</summary>
    public static ICgroupManager FromRecord(CgroupRecord record)
    {
        if (record.Paths.Count == 0)
            return new NoCgroupManager(record);
        bool rootless = IsRootless();
        CgroupLayout? layout = null;
        try
        {
            layout = Hierarchies.Detect();
        }
        catch (Exception e) when (e is IOException or LinuxException or FormatException)
        {
            // The recorded paths are enough to find the directories; mount points only name mounts.
        }
        var v1 = record.Paths.Where(p => p.Key.Length > 0)
            .Select(p => new HierarchyDir(p.Key, layout?.V1.FirstOrDefault(h => h.Key == p.Key)?.MountPoint ?? "", p.Value))
            .ToList();
        HierarchyDir? unified = record.Paths.TryGetValue("", out string? dir) ? new HierarchyDir("", layout?.Unified?.MountPoint ?? "", dir) : null;
        if (unified is null)
            return new CgroupV1Manager(record, v1, rootless);
        if (v1.Count == 0)
            return new CgroupV2Manager(record, unified, [], rootless);
        return Hybrid(record, v1, unified, rootless);
    }

    /// <summary>
    /// Not root, or root only in a user namespace (a uid_map other than the initial namespace's
    /// "0 0 4294967295"): cgroups may not be writable, and device rules are the namespace's business.
    /// </summary>
    static bool IsRootless()
    {
        if (Processes.EffectiveUserId != 0)
            return true;
        try
        {
            var map = CgroupFiles.Words(File.ReadAllText("/proc/self/uid_map"));
            return map is not ["0", "0", "4294967295"];
        }
        catch (IOException)
        {
            return false;
        }
    }

    static HybridManager Hybrid(CgroupRecord record, List<HierarchyDir> v1Dirs, HierarchyDir unified, bool rootless)
    {
        var v1 = new CgroupV1Manager(record, v1Dirs, rootless);
        var v1Controllers = v1Dirs.SelectMany(d => d.Key.Split(',')).ToHashSet();
        return new HybridManager(v1, new CgroupV2Manager(record, unified, v1Controllers, rootless), rootless);
    }
}
