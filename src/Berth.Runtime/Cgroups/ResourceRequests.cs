using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Which parts of linux.resources ask for something. A value that means "no limit" (-1, "max",
/// a pids limit of 0) is written when its controller is there, and otherwise needs nothing.
/// Zero means unset for the values where runc reads it so (limits, shares, quota, period, weight).
/// </summary>
internal static class ResourceRequests
{
    public const ulong SwappinessUnset = ulong.MaxValue; // -1 in the spec's int64 spelling

    public static bool HasWrites(LinuxMemory? m)
        => m is not null && (m.Limit is not (null or 0) || m.Reservation is not (null or 0) || m.Swap is not (null or 0)
            || m.Kernel is not (null or 0) || m.KernelTcp is not (null or 0) || (m.Swappiness is { } s && s != SwappinessUnset) || m.DisableOomKiller is not null);

    public static string? MemoryRequest(LinuxMemory? m) => m switch
    {
        null => null,
        { Limit: > 0 } => "linux.resources.memory.limit",
        { Reservation: > 0 } => "linux.resources.memory.reservation",
        { Swap: > 0 } => "linux.resources.memory.swap",
        { Swappiness: { } s } when s != SwappinessUnset => "linux.resources.memory.swappiness",
        { DisableOomKiller: true } => "linux.resources.memory.disableOOMKiller",
        _ => null,
    };

    /// <summary>The cpu controller's part of linux.resources.cpu (not cpus/mems).</summary>
    public static bool HasCpuWrites(LinuxCpu? c)
        => c is not null && (c.Shares is not (null or 0) || c.Quota is not (null or 0) || c.Period is not (null or 0) || c.Burst is not null
            || c.RealtimeRuntime is not (null or 0) || c.RealtimePeriod is not (null or 0) || c.Idle is not null);

    public static string? CpuRequest(LinuxCpu? c) => c switch
    {
        null => null,
        { Shares: > 0 } => "linux.resources.cpu.shares",
        { Quota: > 0 } => "linux.resources.cpu.quota",
        { Period: > 0 } => "linux.resources.cpu.period",
        { Burst: > 0 } => "linux.resources.cpu.burst",
        { RealtimeRuntime: not (null or 0) } => "linux.resources.cpu.realtimeRuntime",
        { RealtimePeriod: > 0 } => "linux.resources.cpu.realtimePeriod",
        { Idle: not (null or 0) } => "linux.resources.cpu.idle",
        _ => null,
    };

    public static string? CpusetRequest(LinuxCpu? c)
        => !string.IsNullOrEmpty(c?.Cpus) ? "linux.resources.cpu.cpus" : !string.IsNullOrEmpty(c?.Mems) ? "linux.resources.cpu.mems" : null;

    public static string? PidsRequest(LinuxPids? p) => p is { Limit: > 0 } ? "linux.resources.pids.limit" : null;

    public static bool HasWrites(LinuxBlockIO? b)
        => b is not null && (b.Weight is not (null or 0) || b.LeafWeight is not (null or 0) || b.WeightDevice is { Count: > 0 }
            || b.ThrottleReadBpsDevice is { Count: > 0 } || b.ThrottleWriteBpsDevice is { Count: > 0 }
            || b.ThrottleReadIopsDevice is { Count: > 0 } || b.ThrottleWriteIopsDevice is { Count: > 0 });

    public static string? BlockIORequest(LinuxBlockIO? b) => HasWrites(b) ? "linux.resources.blockIO" : null;

    public static bool HasNetwork(LinuxNetwork? n) => n is not null && (n.ClassId is not null || n.Priorities is { Count: > 0 });

    /// <summary>The first field of linux.resources (devices aside) that asks for a limit, or null.</summary>
    public static string? FirstRequest(LinuxResources? r)
    {
        if (r is null)
            return null;
        return MemoryRequest(r.Memory) ?? CpuRequest(r.Cpu) ?? CpusetRequest(r.Cpu) ?? PidsRequest(r.Pids) ?? BlockIORequest(r.BlockIO)
            ?? (r.HugepageLimits is { Count: > 0 } ? "linux.resources.hugepageLimits" : null)
            ?? (HasNetwork(r.Network) ? "linux.resources.network" : null)
            ?? (r.Rdma is { Count: > 0 } ? "linux.resources.rdma" : null)
            ?? (r.Unified is { Count: > 0 } ? "linux.resources.unified" : null);
    }
}
