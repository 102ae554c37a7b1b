using Berth.Engine.Model;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Stats;

/// <summary>
/// A container's usage on a cgroup v2 machine in Docker's JSON, as dockerd shapes containerd's v2 metrics: no
/// per-CPU usage and no max usage, memory.stat's v2 keys that containerd knows, failcnt from memory.events' "oom",
/// the pids limit as read ("max" is the largest number), and block IO as read and write bytes only.
/// </summary>
internal static class DockerStatsV2
{
    static readonly string[] MemoryKeys =
    [
        "anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped", "file_dirty", "file_writeback", "anon_thp",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
        "pgfault", "pgmajfault", "workingset_refault", "workingset_activate", "workingset_nodereclaim",
        "pgrefill", "pgscan", "pgsteal", "pgactivate", "pgdeactivate", "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc",
    ];

    /// <param name="dir">The container's directory in the unified hierarchy.</param>
    public static void Fill(ContainerStats stats, string dir, ulong machineMemory)
    {
        var s = new CgroupStats();
        StatsV2.Fill(dir, s, controller => controller != "hugetlb");
        stats.CpuStats = new CpuStats
        {
            CpuUsage = new CpuUsage { TotalUsage = s.CpuUsageTotal, UsageInKernelmode = s.CpuUsageKernel, UsageInUsermode = s.CpuUsageUser },
            ThrottlingData = DockerStats.Throttling(s),
        };
        stats.MemoryStats = new MemoryStats
        {
            Stats = DockerStats.Pick(s.MemoryStats, MemoryKeys),
            Usage = s.MemoryUsage,
            Limit = Math.Min(s.MemoryLimit, machineMemory),
            Failcnt = StatsV1.KeyValues(dir, "memory.events").GetValueOrDefault("oom"),
        };
        stats.PidsStats = new PidsStats { Current = s.PidsCurrent, Limit = StatsV1.Number(dir, "pids.max") };
        var bytes = s.IoServiceBytes.Where(e => e.Op is "Read" or "Write").Select(DockerStats.Entry).ToList();
        foreach (var e in bytes)
            e.Op = e.Op.ToLowerInvariant();
        stats.BlkioStats = new BlkioStats { IoServiceBytesRecursive = bytes.Count > 0 ? bytes : null };
    }
}
