using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

internal sealed partial class ResourcesV2
{
    static void CheckMemory(LinuxMemory m)
    {
        if (m.Swappiness is { } s && s != ResourceRequests.SwappinessUnset)
            throw CgroupErrors.Unsupported("linux.resources.memory.swappiness", "cgroup v2 has no per-cgroup swappiness; leave it unset");
        if (m.DisableOomKiller == true)
            throw CgroupErrors.Unsupported("linux.resources.memory.disableOOMKiller", "cgroup v2 cannot disable the OOM killer; leave it unset or false");
        ResourcesV1.CheckMemoryValues(m);
        try
        {
            CgroupConversions.SwapV2(m.Swap ?? 0, m.Limit ?? 0);
        }
        catch (ArgumentException e)
        {
            throw CgroupErrors.Invalid("linux.resources.memory.swap", e.Message);
        }
    }

    static void CheckCpu(LinuxCpu c)
    {
        if (c.RealtimeRuntime is not (null or 0))
            throw CgroupErrors.Unsupported("linux.resources.cpu.realtimeRuntime", "cgroup v2 has no realtime CPU budget");
        if (c.RealtimePeriod is not (null or 0))
            throw CgroupErrors.Unsupported("linux.resources.cpu.realtimePeriod", "cgroup v2 has no realtime CPU budget");
        if (c.Shares is { } shares and not 0 && shares is < CgroupConversions.MinShares or > CgroupConversions.MaxShares)
            throw CgroupErrors.Invalid("linux.resources.cpu.shares", $"{shares} is out of range {CgroupConversions.MinShares}-{CgroupConversions.MaxShares}");
    }

    static void CheckBlockIO(LinuxBlockIO b)
    {
        if (b.LeafWeight is not (null or 0))
            throw CgroupErrors.Unsupported("linux.resources.blockIO.leafWeight", "cgroup v2 has no leaf weights");
        if (b.WeightDevice?.FindIndex(d => d.LeafWeight is not (null or 0)) is >= 0 and var i)
            throw CgroupErrors.Unsupported($"linux.resources.blockIO.weightDevice[{i}].leafWeight", "cgroup v2 has no leaf weights");
        if (b.Weight is { } w and not 0 && w is < 10 or > 1000)
            throw CgroupErrors.Invalid("linux.resources.blockIO.weight", $"{w} is out of range 10-1000");
    }

    /// <summary>BFQ's io.bfq.weight takes the spec's weights as they are; io.weight (iocost) takes them converted.</summary>
    static void CheckWeightFiles(string dir, LinuxBlockIO b)
    {
        bool weights = b.Weight is not (null or 0) || b.WeightDevice?.Exists(d => d.Weight is not (null or 0)) == true;
        if (weights && !CgroupFiles.Exists(dir, "io.bfq.weight") && !CgroupFiles.Exists(dir, "io.weight"))
            throw CgroupErrors.Unsupported("linux.resources.blockIO.weight", $"the I/O scheduler has no weights (neither io.bfq.weight nor io.weight exists in {dir})");
    }

    void WriteMemory(LinuxMemory m)
    {
        long limit = m.Limit ?? 0;
        long swap = CgroupConversions.SwapV2(m.Swap ?? 0, limit);
        string? swapText = CgroupConversions.Limit(swap);
        // memory+swap equal to memory: no swap at all.
        if (swapText is null && swap == 0 && m.Swap > 0)
            swapText = "0";
        if (swapText is not null)
        {
            int errno = CgroupFiles.TryWrite(_dir, "memory.swap.max", swapText);
            // Without swap accounting there is nothing to lift or to turn off.
            if (errno != 0 && !(errno == Errno.ENOENT && swapText is "max" or "0"))
                throw CgroupErrors.Write("linux.resources.memory.swap", _dir, "memory.swap.max", swapText, errno,
                    errno == Errno.ENOENT ? "swap accounting is off in this kernel" : null);
        }
        if (CgroupConversions.Limit(limit) is { } limitText)
        {
            if (m.CheckBeforeUpdate == true && limit > 0 && CgroupFiles.TryRead(_dir, "memory.current", out string current)
                && CgroupFiles.ParseUInt64(current.Trim()) > (ulong)limit)
                throw new RuntimeError(ErrorKind.Conflict, $"linux.resources.memory.limit: {limit} is below the current usage {current.Trim()} (checkBeforeUpdate)");
            CgroupErrors.Set("linux.resources.memory.limit", _dir, "memory.max", limitText);
        }
        if (CgroupConversions.Limit(m.Reservation ?? 0) is { } low)
            CgroupErrors.Set("linux.resources.memory.reservation", _dir, "memory.low", low);
        // kernel and kernelTCP have no cgroup v2 files: ignored, as runc does.
    }

    void WriteCpu(LinuxCpu c)
    {
        if (c.Idle is { } idle)
            CgroupErrors.Set("linux.resources.cpu.idle", _dir, "cpu.idle", ResourcesV1.Text(idle));
        if (c.Shares is { } shares and not 0)
            CgroupErrors.Set("linux.resources.cpu.shares", _dir, "cpu.weight", ResourcesV1.Text(CgroupConversions.CpuWeight(shares)));
        long quota = c.Quota ?? 0;
        ulong period = c.Period ?? 0;
        string? burst = null;
        if (c.Burst is { } b)
        {
            burst = ResourcesV1.Text(b);
            int errno = CgroupFiles.TryWrite(_dir, "cpu.max.burst", burst);
            if (errno == 0 || (errno == Errno.ENOENT && b == 0))
                burst = null;
            else if (errno != Errno.EINVAL || quota == 0)
                throw CgroupErrors.Write("linux.resources.cpu.burst", _dir, "cpu.max.burst", burst, errno);
        }
        if (quota != 0 || period != 0)
        {
            string max = (quota > 0 ? ResourcesV1.Text(quota) : "max") + (period != 0 ? " " + ResourcesV1.Text(period) : "");
            CgroupErrors.Set(quota != 0 ? "linux.resources.cpu.quota" : "linux.resources.cpu.period", _dir, "cpu.max", max);
            if (burst is not null)
                CgroupErrors.Set("linux.resources.cpu.burst", _dir, "cpu.max.burst", burst);
        }
    }

    void WriteIo(LinuxBlockIO b)
    {
        bool bfq = CgroupFiles.Exists(_dir, "io.bfq.weight");
        if (b.Weight is { } w and not 0)
            CgroupErrors.Set("linux.resources.blockIO.weight", _dir, bfq ? "io.bfq.weight" : "io.weight",
                ResourcesV1.Text(bfq ? w : CgroupConversions.IoWeight(w)));
        var devices = b.WeightDevice ?? [];
        for (int i = 0; i < devices.Count; i++)
        {
            if (devices[i].Weight is { } dw and not 0)
                CgroupErrors.Set($"linux.resources.blockIO.weightDevice[{i}].weight", _dir, bfq ? "io.bfq.weight" : "io.weight",
                    $"{devices[i].Major}:{devices[i].Minor} {(bfq ? dw : CgroupConversions.IoWeight(dw))}");
        }
        foreach (var (device, line) in IoMaxLines(b))
            CgroupErrors.Set($"linux.resources.blockIO (device {device})", _dir, "io.max", line);
    }

    /// <summary>One io.max line per device: "8:0 rbps=1048576 wiops=100".</summary>
    internal static List<(string Device, string Line)> IoMaxLines(LinuxBlockIO b)
    {
        var byDevice = new SortedDictionary<(long, long), List<string>>();
        void Add(List<LinuxThrottleDevice>? list, string key)
        {
            foreach (var d in list ?? [])
            {
                if (!byDevice.TryGetValue((d.Major, d.Minor), out var parts))
                    byDevice[(d.Major, d.Minor)] = parts = [];
                // 0 lifts the limit, as in v1 (io.max refuses 0).
                parts.Add(d.Rate == 0 ? $"{key}=max" : $"{key}={d.Rate}");
            }
        }
        Add(b.ThrottleReadBpsDevice, "rbps");
        Add(b.ThrottleWriteBpsDevice, "wbps");
        Add(b.ThrottleReadIopsDevice, "riops");
        Add(b.ThrottleWriteIopsDevice, "wiops");
        return byDevice.Select(p => ($"{p.Key.Item1}:{p.Key.Item2}", $"{p.Key.Item1}:{p.Key.Item2} {string.Join(' ', p.Value)}")).ToList();
    }
}
