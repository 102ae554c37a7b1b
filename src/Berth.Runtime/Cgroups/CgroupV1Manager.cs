using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>A container's cgroup on cgroup v1: one directory in every mounted v1 hierarchy.</summary>
internal sealed class CgroupV1Manager : ICgroupManager
{
    readonly CgroupRecord _record;
    readonly bool _rootless;

    public CgroupV1Manager(CgroupRecord record, IReadOnlyList<HierarchyDir> dirs, bool rootless)
    {
        _record = record;
        _rootless = rootless;
        Dirs = dirs;
        foreach (var d in dirs)
            record.Paths[d.Key] = d.Dir;
    }

    public IReadOnlyList<HierarchyDir> Dirs { get; }

    public CgroupRecord Record => _record;

    /// <summary>Each hierarchy under its mount directory's name; combined ones ("cpu,cpuacct") also under each controller's.</summary>
    public IReadOnlyList<CgroupMountSource> MountSources => Dirs.Select(d => new CgroupMountSource
    {
        Name = d.MountName,
        HostPath = d.Dir,
        Aliases = d.Key.Split(',').Where(c => !c.StartsWith("name=", StringComparison.Ordinal) && c != d.MountName).ToList(),
    }).ToList();

    public string? DirOf(string controller) => Dirs.FirstOrDefault(d => d.Has(controller))?.Dir;

    /// <summary>Where to list processes: the pids, freezer or devices hierarchy (whichever is mounted), else any.</summary>
    public string? ProcessDir => DirOf("pids") ?? DirOf("freezer") ?? DirOf("devices");

    public void Create()
    {
        foreach (var d in Dirs)
            CgroupTree.Make(d.MountPoint, d.Dir, _record.Created);
        if (Dirs.FirstOrDefault(d => d.Has("cpuset")) is { } cpuset)
            CopyCpusets(cpuset.MountPoint.TrimEnd('/') + "/");
    }

    /// <summary>
    /// A new v1 cpuset cgroup has no CPUs and no memory nodes, and takes no process until it has:
    /// each directory made gets its parent's, from the top down. A shared berth parent made by a
    /// concurrent runtime may still be empty itself: it is filled from the nearest ancestor that
    /// has a value (it is Berth's: every directory on the way down carries a "berth" component).
    /// </summary>
    void CopyCpusets(string mountPrefix)
    {
        foreach (var dir in _record.Created.Where(d => d.StartsWith(mountPrefix, StringComparison.Ordinal)))
        {
            foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
            {
                try
                {
                    Fill(dir, file, mountPrefix);
                }
                catch (LinuxException e)
                {
                    throw CgroupErrors.From(e, $"copy {file} from {Path.GetDirectoryName(dir)}");
                }
            }
        }
    }

    static string Fill(string dir, string file, string mountPrefix)
    {
        string value = CgroupFiles.Read(dir, file).Trim();
        if (value.Length > 0)
            return value;
        string parent = Path.GetDirectoryName(dir)!;
        bool berths = parent.Length >= mountPrefix.Length && parent[(mountPrefix.Length - 1)..].Split('/').Contains("berth");
        value = berths ? Fill(parent, file, mountPrefix) : CgroupFiles.Read(parent, file).Trim();
        CgroupFiles.Write(dir, file, value);
        return value;
    }

    public void Apply(LinuxResources? resources) => Plan(resources ?? new LinuxResources(), !_rootless).Write();

    internal ResourcesV1 Plan(LinuxResources resources, bool devices) => new(Dirs, resources, devices);

    public void AddProcess(int pid)
    {
        foreach (var d in Dirs)
        {
            try
            {
                CgroupProcesses.Add(d.Dir, pid);
            }
            catch (LinuxException e)
            {
                throw CgroupErrors.From(e, $"add process {pid} to cgroup");
            }
        }
    }

    public CgroupJoin Join => new(Dirs.Select(d => Path.Join(d.Dir, "tasks")).ToList(), null);

    public IReadOnlyList<int> Pids() => CgroupProcesses.ListRecursive(ProcessDir ?? Dirs[0].Dir);

    public void Freeze() => Freezing(Freezer.FreezeV1);

    public void Thaw() => Freezing(Freezer.ThawV1);

    public bool IsFrozen()
        => DirOf("freezer") is { } dir && CgroupFiles.TryRead(dir, "freezer.state", out string state) && state.Trim() == Freezer.Frozen;

    void Freezing(Action<string> action)
    {
        string dir = DirOf("freezer") ?? throw new RuntimeError(ErrorKind.Unsupported, "no cgroup v1 hierarchy with the freezer controller is mounted: cannot pause or resume");
        try
        {
            action(dir);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new RuntimeError(ErrorKind.Internal, e.Message, e);
        }
    }

    public CgroupStats Stats()
    {
        try
        {
            return StatsV1.Read(DirOf);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e, "read cgroup statistics");
        }
    }

    /// <summary>memory.oom_control's "oom_kill N" (kernels since 4.13).</summary>
    public long OomKillCount()
        => DirOf("memory") is { } dir ? (long)StatsV1.KeyValues(dir, "memory.oom_control").GetValueOrDefault("oom_kill") : 0;

    public void Destroy() => CgroupTree.Remove(_record.Created, _record.Paths.Values);
}
