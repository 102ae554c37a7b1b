using Berth.Linux.Cgroups;

namespace Berth.Engine.Containers;

/// <summary>
/// Which resource limits this machine's cgroups can apply (dockerd's sysinfo): on cgroup v1 (and hybrid) machines a
/// limit needs its controller's hierarchy and its file at the hierarchy's root; on v2 its controller in the root's
/// cgroup.controllers. Limits the machine cannot apply are discarded with Docker's warnings.
/// </summary>
public sealed record CgroupSupport(
    bool MemoryLimit,
    bool SwapLimit,
    bool MemoryReservation,
    bool OomKillDisable,
    bool MemorySwappiness,
    bool PidsLimit,
    bool CpuShares,
    bool CpuCfs,
    bool Cpuset,
    bool BlkioWeight,
    string Cpus,
    string Mems)
{
    public static CgroupSupport Detect(CgroupLayout layout)
    {
        if (layout.Mode is CgroupMode.V1 or CgroupMode.Hybrid)
        {
            string? Root(string controller) => layout.V1For(controller)?.MountPoint;
            bool Has(string controller, string file) => Root(controller) is { } root && CgroupFiles.Exists(root, file);
            string Text(string controller, string file)
                => Root(controller) is { } root && CgroupFiles.TryRead(root, file, out string text) ? text.Trim() : "";
            return new CgroupSupport(
                MemoryLimit: Root("memory") is not null,
                SwapLimit: Has("memory", "memory.memsw.limit_in_bytes"),
                MemoryReservation: Has("memory", "memory.soft_limit_in_bytes"),
                OomKillDisable: Has("memory", "memory.oom_control"),
                MemorySwappiness: Has("memory", "memory.swappiness"),
                PidsLimit: Root("pids") is not null,
                CpuShares: Has("cpu", "cpu.shares"),
                CpuCfs: Has("cpu", "cpu.cfs_quota_us"),
                Cpuset: Root("cpuset") is not null,
                BlkioWeight: Has("blkio", "blkio.weight"),
                Cpus: Text("cpuset", "cpuset.cpus"),
                Mems: Text("cpuset", "cpuset.mems"));
        }
        if (layout.Unified is { } unified)
        {
            var controllers = unified.Controllers;
            string Effective(string file)
                => CgroupFiles.TryRead(unified.MountPoint, file, out string text) ? text.Trim() : "";
            bool memory = controllers.Contains("memory");
            return new CgroupSupport(
                MemoryLimit: memory, SwapLimit: memory, MemoryReservation: memory, OomKillDisable: false, MemorySwappiness: false,
                PidsLimit: controllers.Contains("pids"),
                CpuShares: controllers.Contains("cpu"),
                CpuCfs: controllers.Contains("cpu"),
                Cpuset: controllers.Contains("cpuset"),
                BlkioWeight: controllers.Contains("io"),
                Cpus: Effective("cpuset.cpus.effective"),
                Mems: Effective("cpuset.mems.effective"));
        }
        return new CgroupSupport(false, false, false, false, false, false, false, false, false, false, "", "");
    }
}
