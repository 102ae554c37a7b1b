using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container without a cgroup: rootless, where cgroups could not be made and no limits were
/// asked for. It records nothing; pause and resume are refused.
/// </summary>
internal sealed class NoCgroupManager(CgroupRecord record) : ICgroupManager
{
    public CgroupRecord Record => record;

    public IReadOnlyList<CgroupMountSource> MountSources => [];

    public void Create()
    {
    }

    public void Apply(LinuxResources? resources)
    {
        if (ResourceRequests.FirstRequest(resources) is { } field)
            throw new RuntimeError(ErrorKind.Unsupported, $"{field}: the container has no cgroup, so it cannot have limits");
    }

    public void AddProcess(int pid)
    {
    }

    public CgroupJoin Join => CgroupJoin.None;

    public IReadOnlyList<int> Pids() => [];

    public void Freeze() => throw NoCgroup("paused");

    public void Thaw() => throw NoCgroup("resumed");

    public bool IsFrozen() => false;

    public CgroupStats Stats() => new();

    public long OomKillCount() => 0;

    public void Destroy()
    {
    }

    static RuntimeError NoCgroup(string what) => new(ErrorKind.Unsupported, $"the container has no cgroup (rootless without access to cgroups): it cannot be {what}");
}
