using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// On a hybrid machine, which parts of linux.resources go to the v1 hierarchies and which to the
/// unified one: a part goes to v1 when a v1 hierarchy has its controller, else to cgroup v2.
/// net_cls/net_prio exist only in v1; unified keys only in v2.
/// </summary>
internal static class ResourceSplit
{
    public static (LinuxResources V1, LinuxResources V2) Split(LinuxResources r, Func<string, bool> onV1)
    {
        var v1 = new LinuxResources { Network = r.Network };
        var v2 = new LinuxResources { Unified = r.Unified };
        LinuxResources To(string controller) => onV1(controller) ? v1 : v2;
        To("devices").Devices = r.Devices;
        To("memory").Memory = r.Memory;
        To("pids").Pids = r.Pids;
        To("blkio").BlockIO = r.BlockIO;
        To("hugetlb").HugepageLimits = r.HugepageLimits;
        To("rdma").Rdma = r.Rdma;
        if (r.Cpu is { } c)
        {
            var cpu = To("cpu").Cpu ??= new LinuxCpu();
            cpu.Shares = c.Shares;
            cpu.Quota = c.Quota;
            cpu.Burst = c.Burst;
            cpu.Period = c.Period;
            cpu.RealtimeRuntime = c.RealtimeRuntime;
            cpu.RealtimePeriod = c.RealtimePeriod;
            cpu.Idle = c.Idle;
            var cpuset = To("cpuset").Cpu ??= new LinuxCpu();
            cpuset.Cpus = c.Cpus;
            cpuset.Mems = c.Mems;
        }
        return (v1, v2);
    }
}
