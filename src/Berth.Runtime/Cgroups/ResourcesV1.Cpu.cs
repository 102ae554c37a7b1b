using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

internal sealed partial class ResourcesV1
{
    static void CheckCpu(string dir, LinuxCpu c)
    {
        if (c.Burst is > 0 && !CgroupFiles.Exists(dir, "cpu.cfs_burst_us"))
            throw CgroupErrors.Unsupported("linux.resources.cpu.burst", $"this kernel has no CPU burst (no cpu.cfs_burst_us in {dir})");
        if (c.Idle is not (null or 0) && !CgroupFiles.Exists(dir, "cpu.idle"))
            throw CgroupErrors.Unsupported("linux.resources.cpu.idle", $"this kernel has no SCHED_IDLE cgroups (no cpu.idle in {dir})");
        if ((c.RealtimeRuntime is not (null or 0) || c.RealtimePeriod is not (null or 0)) && !CgroupFiles.Exists(dir, "cpu.rt_runtime_us"))
            throw CgroupErrors.Unsupported(c.RealtimeRuntime is not (null or 0) ? "linux.resources.cpu.realtimeRuntime" : "linux.resources.cpu.realtimePeriod",
                $"this kernel has no realtime group scheduling (no cpu.rt_runtime_us in {dir})");
    }

    /// <summary>
    /// As runc: shares are read back (the kernel clamps them silently); a period or burst the kernel
    /// refuses with EINVAL before the quota changes is written again after the quota.
    /// </summary>
    static void WriteCpu(string dir, LinuxCpu c)
    {
        if (c.Shares is { } shares and not 0)
        {
            CgroupErrors.Set("linux.resources.cpu.shares", dir, "cpu.shares", Text(shares));
            ulong read = CgroupFiles.ReadUInt64(dir, "cpu.shares");
            if (read != shares)
                throw CgroupErrors.Invalid("linux.resources.cpu.shares",
                    $"{shares} is out of range: the {(shares > read ? "maximum" : "minimum")} allowed cpu-shares is {read}");
        }
        long quota = c.Quota ?? 0;
        string? period = RetryLater("linux.resources.cpu.period", dir, "cpu.cfs_period_us", c.Period is { } p and not 0 ? Text(p) : null, quota);
        string? burst = RetryLater("linux.resources.cpu.burst", dir, "cpu.cfs_burst_us", c.Burst is { } b ? Text(b) : null, quota);
        if (quota != 0)
        {
            CgroupErrors.Set("linux.resources.cpu.quota", dir, "cpu.cfs_quota_us", Text(quota));
            if (period is not null)
                CgroupErrors.Set("linux.resources.cpu.period", dir, "cpu.cfs_period_us", period);
            if (burst is not null)
                CgroupErrors.Set("linux.resources.cpu.burst", dir, "cpu.cfs_burst_us", burst);
        }
        if (c.Idle is { } idle && (idle != 0 || CgroupFiles.Exists(dir, "cpu.idle")))
            CgroupErrors.Set("linux.resources.cpu.idle", dir, "cpu.idle", Text(idle));
        WriteRealtime(dir, c);
    }

    /// <summary>Writes the value; an EINVAL while a quota is still to be written is kept to retry after it.</summary>
    static string? RetryLater(string field, string dir, string file, string? value, long quota)
    {
        if (value is null)
            return null;
        int errno = CgroupFiles.TryWrite(dir, file, value);
        if (errno == 0 || (errno == Errno.ENOENT && value == "0"))
            return null;
        if (errno != Errno.EINVAL || quota == 0)
            throw CgroupErrors.Write(field, dir, file, value, errno);
        return value;
    }

    /// <summary>rt_period and rt_runtime depend on each other; a period refused first is retried after the runtime.</summary>
    static void WriteRealtime(string dir, LinuxCpu c)
    {
        long runtime = c.RealtimeRuntime ?? 0;
        string? period = RetryLater("linux.resources.cpu.realtimePeriod", dir, "cpu.rt_period_us",
            c.RealtimePeriod is { } p and not 0 ? Text(p) : null, runtime);
        if (runtime != 0)
        {
            CgroupErrors.Set("linux.resources.cpu.realtimeRuntime", dir, "cpu.rt_runtime_us", Text(runtime));
            if (period is not null)
                CgroupErrors.Set("linux.resources.cpu.realtimePeriod", dir, "cpu.rt_period_us", period);
        }
    }
}
