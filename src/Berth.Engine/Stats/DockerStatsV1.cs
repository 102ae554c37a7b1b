using Berth.Engine.Model;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Stats;

/// <summary>
/// A container's usage on a cgroup v1 machine (and a hybrid one, which dockerd reads as v1) in Docker's JSON, as
/// dockerd shapes containerd's v1 metrics: per-CPU usage, memory.stat's keys that containerd knows (all of them, 0
/// where the kernel has none), max usage and failcnt, and every blkio list (empty, not null, when there is nothing).
/// </summary>
internal static class DockerStatsV1
{
    static readonly string[] MemoryKeys =
    [
        "cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback", "pgpgin", "pgpgout", "pgfault", "pgmajfault",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
        "hierarchical_memory_limit", "hierarchical_memsw_limit",
        "total_cache", "total_rss", "total_rss_huge", "total_mapped_file", "total_dirty", "total_writeback",
        "total_pgpgin", "total_pgpgout", "total_pgfault", "total_pgmajfault", "total_inactive_anon", "total_active_anon",
        "total_inactive_file", "total_active_file", "total_unevictable",
    ];

    /// <param name="dirOf">The container's directory in the hierarchy of a controller, null where none is mounted.</param>
    public static void Fill(ContainerStats stats, Func<string, string?> dirOf, ulong machineMemory)
    {
        // Blkio is read containerd's way below, and hugetlb is not in Docker's JSON: neither is read twice.
        var s = StatsV1.Read(c => c is "blkio" or "hugetlb" ? null : dirOf(c));
        stats.CpuStats = new CpuStats
        {
            CpuUsage = new CpuUsage
            {
                TotalUsage = s.CpuUsageTotal,
                PercpuUsage = s.CpuUsagePerCpu.Count > 0 ? s.CpuUsagePerCpu : null,
                UsageInKernelmode = s.CpuUsageKernel,
                UsageInUsermode = s.CpuUsageUser,
            },
            ThrottlingData = DockerStats.Throttling(s),
        };
        if (dirOf("memory") is not null)
        {
            stats.MemoryStats = new MemoryStats
            {
                Stats = DockerStats.Pick(s.MemoryStats, MemoryKeys),
                Usage = s.MemoryUsage,
                MaxUsage = s.MemoryMaxUsage,
                Limit = Math.Min(s.MemoryLimit, machineMemory),
                Failcnt = s.MemoryFailcnt,
            };
        }
        if (dirOf("pids") is not null)
            stats.PidsStats = new PidsStats { Current = s.PidsCurrent, Limit = s.PidsLimit };
        if (dirOf("blkio") is { } blkio)
            stats.BlkioStats = Blkio(blkio);
    }

    /// <summary>
    /// containerd's choice: the CFQ scheduler's recursive files where the kernel has them, else the throttle
    /// files' two lists (what kernels without CFQ, 5.0 and later, have).
    /// </summary>
    static BlkioStats Blkio(string dir)
    {
        List<BlkioStatEntry> Entries(string file) => [.. StatsV1.BlkioEntries(dir, "blkio." + file).Select(DockerStats.Entry)];
        if (CgroupFiles.Exists(dir, "blkio.io_serviced_recursive"))
        {
            return new BlkioStats
            {
                IoServiceBytesRecursive = Entries("io_service_bytes_recursive"),
                IoServicedRecursive = Entries("io_serviced_recursive"),
                IoQueuedRecursive = Entries("io_queued_recursive"),
                IoServiceTimeRecursive = Entries("io_service_time_recursive"),
                IoWaitTimeRecursive = Entries("io_wait_time_recursive"),
                IoMergedRecursive = Entries("io_merged_recursive"),
                IoTimeRecursive = Entries("time_recursive"),
                SectorsRecursive = Entries("sectors_recursive"),
            };
        }
        return new BlkioStats
        {
            IoServiceBytesRecursive = Entries("throttle.io_service_bytes"),
            IoServicedRecursive = Entries("throttle.io_serviced"),
            IoQueuedRecursive = [],
            IoServiceTimeRecursive = [],
            IoWaitTimeRecursive = [],
            IoMergedRecursive = [],
            IoTimeRecursive = [],
            SectorsRecursive = [],
        };
    }
}
