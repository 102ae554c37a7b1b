using Berth.Engine.Model;

namespace Berth.Cli.Output;

/// <summary>
/// One container's line of docker stats (docker's StatsEntry), computed from a sample as the docker CLI computes it:
/// CPU % from the change of the container's and the host's CPU time since the previous sample; memory without the
/// inactive page cache (v1: total_inactive_file, v2: inactive_file); block IO as the read and write bytes.
/// </summary>
internal sealed record StatsEntry(string Container)
{
    public string Name { get; init; } = "";
    public string Id { get; init; } = "";
    public double CpuPercentage { get; init; }
    public double Memory { get; init; }
    public double MemoryLimit { get; init; }
    public double MemoryPercentage { get; init; }
    public double NetworkRx { get; init; }
    public double NetworkTx { get; init; }
    public double BlockRead { get; init; }
    public double BlockWrite { get; init; }
    public ulong PidsCurrent { get; init; }

    /// <summary>No valid sample (an error, or none in time): every column shows "--".</summary>
    public bool IsInvalid { get; init; }

    public static StatsEntry From(string container, ContainerStats s)
    {
        double memory = MemoryWithoutCache(s.MemoryStats);
        double limit = s.MemoryStats.Limit;
        var networks = s.Networks?.Values ?? Enumerable.Empty<NetworkStats>();
        var blkio = s.BlkioStats.IoServiceBytesRecursive ?? [];
        return new StatsEntry(container)
        {
            Name = s.Name ?? "",
            Id = s.Id ?? "",
            CpuPercentage = CpuPercent(s.PreCpuStats, s.CpuStats),
            Memory = memory,
            MemoryLimit = limit,
            MemoryPercentage = limit != 0 ? memory / limit * 100.0 : 0,
            NetworkRx = networks.Sum(n => (double)n.RxBytes),
            NetworkTx = networks.Sum(n => (double)n.TxBytes),
            BlockRead = blkio.Where(e => e.Op.StartsWith('r') || e.Op.StartsWith('R')).Sum(e => (double)e.Value),
            BlockWrite = blkio.Where(e => e.Op.StartsWith('w') || e.Op.StartsWith('W')).Sum(e => (double)e.Value),
            PidsCurrent = s.PidsStats.Current,
        };
    }

    static double CpuPercent(CpuStats previous, CpuStats current)
    {
        double cpuDelta = (double)current.CpuUsage.TotalUsage - previous.CpuUsage.TotalUsage;
        double systemDelta = (double)current.SystemUsage - previous.SystemUsage;
        double cpus = current.OnlineCpus != 0 ? current.OnlineCpus : current.CpuUsage.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0;
    }

    static double MemoryWithoutCache(MemoryStats m)
    {
        var stats = m.Stats ?? [];
        if (stats.TryGetValue("total_inactive_file", out ulong v1) && v1 < m.Usage)
            return m.Usage - v1;
        ulong v2 = stats.GetValueOrDefault("inactive_file");
        return v2 < m.Usage ? m.Usage - v2 : m.Usage;
    }
}
