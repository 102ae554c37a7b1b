namespace Berth.Linux.Cgroups;

/// <summary>
/// Resource usage of a cgroup, in the units of runc's <c>events --stats</c> (nanoseconds, bytes): what
/// <see cref="StatsV1"/> and <see cref="StatsV2"/> read, for the runtime's events and the engine's stats alike.
/// </summary>
public sealed class CgroupStats
{
    public ulong CpuUsageTotal { get; set; }
    public ulong CpuUsageKernel { get; set; }
    public ulong CpuUsageUser { get; set; }
    public List<ulong> CpuUsagePerCpu { get; set; } = [];
    public ulong ThrottlingPeriods { get; set; }
    public ulong ThrottledPeriods { get; set; }
    public ulong ThrottledTime { get; set; }
    public ulong MemoryUsage { get; set; }
    public ulong MemoryMaxUsage { get; set; }
    public ulong MemoryLimit { get; set; }
    public ulong MemoryFailcnt { get; set; }
    public ulong SwapUsage { get; set; }
    public ulong SwapLimit { get; set; }

    /// <summary>memory.stat as the kernel writes it (v1 or v2 keys).</summary>
    public Dictionary<string, ulong> MemoryStats { get; set; } = [];
    public ulong PidsCurrent { get; set; }
    public ulong PidsLimit { get; set; }
    public List<BlkioEntry> IoServiceBytes { get; set; } = [];
    public List<BlkioEntry> IoServiced { get; set; } = [];
    public Dictionary<string, HugetlbUsage> Hugetlb { get; set; } = [];
}

/// <summary>One line of a blkio file ("8:0 Read 4096"); <see cref="Op"/> is empty for files without one (blkio.sectors_recursive).</summary>
public sealed class BlkioEntry
{
    public ulong Major { get; set; }
    public ulong Minor { get; set; }
    public string Op { get; set; } = "";
    public ulong Value { get; set; }
}

public sealed class HugetlbUsage
{
    public ulong Usage { get; set; }
    public ulong Max { get; set; }
    public ulong Failcnt { get; set; }
}
