using Berth.Engine.Model;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Stats;

/// <summary>What the v1 and v2 shapes of Docker's stats take from a <see cref="CgroupStats"/> alike.</summary>
internal static class DockerStats
{
    public static ThrottlingData Throttling(CgroupStats s) => new()
    {
        Periods = s.ThrottlingPeriods,
        ThrottledPeriods = s.ThrottledPeriods,
        ThrottledTime = s.ThrottledTime,
    };

    /// <summary>The keys containerd reads from memory.stat, 0 where the kernel wrote none (Go struct fields, never missing).</summary>
    public static Dictionary<string, ulong> Pick(Dictionary<string, ulong> memoryStat, string[] keys)
        => keys.ToDictionary(k => k, k => memoryStat.GetValueOrDefault(k), StringComparer.Ordinal);

    public static BlkioStatEntry Entry(BlkioEntry e) => new() { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value };
}
