using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's cgroup on a hybrid machine: the v1 hierarchies for their controllers, plus a
/// directory in the unified hierarchy (/sys/fs/cgroup/unified), as runc makes, so that tools that
/// look at cgroup v2 see the container, and used for a controller only when no v1 hierarchy has it.
/// The container's cgroup mounts show the v1 hierarchies only, as runc's do.
/// </summary>
internal sealed class HybridManager(CgroupV1Manager v1, CgroupV2Manager v2, bool rootless) : ICgroupManager
{
    public CgroupRecord Record => v1.Record;

    public IReadOnlyList<CgroupMountSource> MountSources => v1.MountSources;

    public void Create()
    {
        v1.Create();
        v2.Create();
    }

    public void Apply(LinuxResources? resources)
    {
        var (onV1, onV2) = ResourceSplit.Split(resources ?? new LinuxResources(), c => v1.DirOf(c) is not null);
        bool v1Devices = v1.DirOf("devices") is not null;
        var planV1 = v1.Plan(onV1, devices: !rootless && v1Devices);
        var planV2 = v2.Plan(onV2, devices: !rootless && !v1Devices);
        planV1.Write();
        planV2.Write();
    }

    public void AddProcess(int pid)
    {
        v1.AddProcess(pid);
        v2.AddProcess(pid);
    }

    public CgroupJoin Join => new(v1.Join.V1TaskFiles, v2.Dir);

    public IReadOnlyList<int> Pids() => v1.ProcessDir is not null ? v1.Pids() : v2.Pids();

    public void Freeze()
    {
        if (v1.DirOf("freezer") is not null)
            v1.Freeze();
        else
            v2.Freeze();
    }

    public void Thaw()
    {
        if (v1.DirOf("freezer") is not null)
            v1.Thaw();
        else
            v2.Thaw();
    }

    public bool IsFrozen() => v1.DirOf("freezer") is not null ? v1.IsFrozen() : v2.IsFrozen();

    public CgroupStats Stats()
    {
        var stats = v1.Stats();
        v2.FillStats(stats);
        return stats;
    }

    public long OomKillCount() => v1.DirOf("memory") is not null ? v1.OomKillCount() : v2.OomKillCount();

    public void Destroy() => CgroupTree.Remove(Record.Created, Record.Paths.Values);
}
