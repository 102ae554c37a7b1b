using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's cgroup in the unified (cgroup v2) hierarchy. On a hybrid machine it is the
/// unified part of <see cref="HybridManager"/> and handles only controllers no v1 hierarchy has.
/// </summary>
internal sealed class CgroupV2Manager : ICgroupManager
{
    static readonly TimeSpan FreezeTimeout = TimeSpan.FromSeconds(5);

    readonly CgroupRecord _record;
    readonly bool _rootless;

    /// <param name="v1Controllers">The controllers of the machine's v1 hierarchies (hybrid); empty on a v2 machine.</param>
    public CgroupV2Manager(CgroupRecord record, HierarchyDir dir, IReadOnlyCollection<string> v1Controllers, bool rootless)
    {
        _record = record;
        _rootless = rootless;
        Dir = dir.Dir;
        MountPoint = dir.MountPoint.Length > 0 ? dir.MountPoint.TrimEnd('/') : V2Controllers.FindRoot(dir.Dir);
        V1Controllers = v1Controllers;
        record.Paths[""] = dir.Dir;
    }

    public string Dir { get; }

    public string MountPoint { get; }

    public IReadOnlyCollection<string> V1Controllers { get; }

    public CgroupRecord Record => _record;

    public IReadOnlyList<CgroupMountSource> MountSources => [new CgroupMountSource { Name = "", HostPath = Dir }];

    V2Controllers Controllers => new(MountPoint, Dir, _record.Created);

    /// <summary>Makes the directory; in every parent it made, enables all controllers that parent has.</summary>
    public void Create()
    {
        int before = _record.Created.Count;
        CgroupTree.Make(MountPoint, Dir, _record.Created);
        try
        {
            foreach (var dir in _record.Created.Skip(before).Where(d => d != Dir))
                V2Controllers.EnableAll(dir);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e);
        }
    }

    public void Apply(LinuxResources? resources) => Plan(resources ?? new LinuxResources(), !_rootless).Write();

    internal ResourcesV2 Plan(LinuxResources resources, bool devices) => new(Dir, Controllers, V1Controllers, resources, devices);

    public void AddProcess(int pid)
    {
        try
        {
            CgroupProcesses.Add(Dir, pid);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e, $"add process {pid} to cgroup");
        }
    }

    public CgroupJoin Join => new([], Dir);

    public IReadOnlyList<int> Pids() => CgroupProcesses.ListRecursive(Dir);

    public void Freeze() => Freezing(() => Freezer.FreezeV2(Dir, FreezeTimeout));

    public void Thaw() => Freezing(() => Freezer.ThawV2(Dir));

    public bool IsFrozen() => Freezer.IsFrozenV2(Dir);

    void Freezing(Action action)
    {
        try
        {
            action();
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
        var stats = new CgroupStats();
        try
        {
            FillStats(stats);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e, "read cgroup statistics");
        }
        return stats;
    }

    /// <summary>The parts of the stats whose controllers are this hierarchy's (on hybrid: not v1's cpu/cpuacct, blkio, ...).</summary>
    public void FillStats(CgroupStats stats) => StatsV2.Fill(Dir, stats, c => !OnV1(c));

    bool OnV1(string controller) => controller switch
    {
        "cpu" => V1Controllers.Contains("cpu") || V1Controllers.Contains("cpuacct"),
        "io" => V1Controllers.Contains("blkio"),
        _ => V1Controllers.Contains(controller),
    };

    /// <summary>memory.events' "oom_kill N".</summary>
    public long OomKillCount() => (long)StatsV1.KeyValues(Dir, "memory.events").GetValueOrDefault("oom_kill");

    public void Destroy() => CgroupTree.Remove(_record.Created, _record.Paths.Values);
}
