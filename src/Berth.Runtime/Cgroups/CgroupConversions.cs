namespace Berth.Runtime.Cgroups;

/// <summary>runc's conversions of cgroup v1 values in the spec to cgroup v2 files.</summary>
internal static class CgroupConversions
{
    public const ulong MinShares = 2, MaxShares = 262144;

    /// <summary>cpu.shares (2..262144) to cpu.weight (1..10000): 1 + ((shares - 2) * 9999) / 262142.</summary>
    public static ulong CpuWeight(ulong shares) => 1 + ((shares - 2) * 9999) / 262142;

    /// <summary>blkio.weight (10..1000) to io.weight (1..10000): 1 + (weight - 10) * 9999 / 990.</summary>
    public static ulong IoWeight(ulong weight) => 1 + (weight - 10) * 9999 / 990;

    /// <summary>
    /// The spec's swap (memory+swap, as v1's memsw) to memory.swap.max (swap alone), as runc:
    /// 0 unset, -1 unlimited, else swap - limit; unlimited memory with swap unset means both unlimited.
    /// Throws <see cref="ArgumentException"/> with the reason for impossible combinations.
    /// </summary>
    public static long SwapV2(long swap, long limit)
    {
        if (limit == -1 && swap == 0)
            return -1;
        if (swap is -1 or 0)
            return swap;
        if (limit is 0 or -1)
            throw new ArgumentException("a swap limit needs a memory limit");
        if (limit < 0)
            throw new ArgumentException($"invalid memory limit {limit}");
        if (swap < limit)
            throw new ArgumentException($"the memory+swap limit {swap} is below the memory limit {limit}");
        return swap - limit;
    }

    /// <summary>A v2 limit file's text: 0 unset (null), -1 (or below) "max", else the number.</summary>
    public static string? Limit(long value)
        => value == 0 ? null : value < 0 ? "max" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
