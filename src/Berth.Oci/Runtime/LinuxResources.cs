using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>cgroup settings (<c>linux.resources</c>), also the input of <c>runc update -r</c>.</summary>
public sealed class LinuxResources
{
    /// <summary>Device controller rules, applied in order.</summary>
    [JsonPropertyName("devices")]
    public List<LinuxDeviceCgroup>? Devices { get; set; }

    [JsonPropertyName("memory")]
    public LinuxMemory? Memory { get; set; }

    [JsonPropertyName("cpu")]
    public LinuxCpu? Cpu { get; set; }

    [JsonPropertyName("pids")]
    public LinuxPids? Pids { get; set; }

    [JsonPropertyName("blockIO")]
    public LinuxBlockIO? BlockIO { get; set; }

    [JsonPropertyName("hugepageLimits")]
    public List<LinuxHugepageLimit>? HugepageLimits { get; set; }

    [JsonPropertyName("network")]
    public LinuxNetwork? Network { get; set; }

    /// <summary>RDMA device name to limits. Written with sorted keys.</summary>
    [JsonPropertyName("rdma")]
    public Dictionary<string, LinuxRdma>? Rdma { get; set; }

    /// <summary>cgroup v2 file name (<c>memory.high</c>) to value. Written with sorted keys.</summary>
    [JsonPropertyName("unified")]
    public Dictionary<string, string>? Unified { get; set; }
}

/// <summary>One device controller rule (<c>linux.resources.devices[]</c>); null major/minor mean any (<c>*</c>).</summary>
public sealed class LinuxDeviceCgroup
{
    /// <summary>Always written.</summary>
    [JsonPropertyName("allow")]
    public bool Allow { get; set; }

    /// <summary><c>a</c>, <c>c</c> or <c>b</c>; all types when null.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("major")]
    public long? Major { get; set; }

    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary>Any of <c>r</c>, <c>w</c>, <c>m</c>.</summary>
    [JsonPropertyName("access")]
    public string? Access { get; set; }
}

/// <summary>Memory controller (<c>linux.resources.memory</c>); byte counts, -1 for unlimited.</summary>
public sealed class LinuxMemory
{
    [JsonPropertyName("limit")]
    public long? Limit { get; set; }

    [JsonPropertyName("reservation")]
    public long? Reservation { get; set; }

    /// <summary>Memory plus swap.</summary>
    [JsonPropertyName("swap")]
    public long? Swap { get; set; }

    /// <summary>Deprecated by the spec; ignored on cgroup v2.</summary>
    [JsonPropertyName("kernel")]
    public long? Kernel { get; set; }

    [JsonPropertyName("kernelTCP")]
    public long? KernelTcp { get; set; }

    [JsonPropertyName("swappiness")]
    public ulong? Swappiness { get; set; }

    [JsonPropertyName("disableOOMKiller")]
    public bool? DisableOomKiller { get; set; }

    [JsonPropertyName("useHierarchy")]
    public bool? UseHierarchy { get; set; }

    [JsonPropertyName("checkBeforeUpdate")]
    public bool? CheckBeforeUpdate { get; set; }
}

/// <summary>CPU and cpuset controllers (<c>linux.resources.cpu</c>); times in microseconds.</summary>
public sealed class LinuxCpu
{
    [JsonPropertyName("shares")]
    public ulong? Shares { get; set; }

    [JsonPropertyName("quota")]
    public long? Quota { get; set; }

    [JsonPropertyName("burst")]
    public ulong? Burst { get; set; }

    [JsonPropertyName("period")]
    public ulong? Period { get; set; }

    [JsonPropertyName("realtimeRuntime")]
    public long? RealtimeRuntime { get; set; }

    [JsonPropertyName("realtimePeriod")]
    public ulong? RealtimePeriod { get; set; }

    /// <summary>cpuset list format, <c>0-3,7</c>.</summary>
    [JsonPropertyName("cpus")]
    public string? Cpus { get; set; }

    [JsonPropertyName("mems")]
    public string? Mems { get; set; }

    /// <summary>cgroup v2 <c>cpu.idle</c>: 1 for SCHED_IDLE.</summary>
    [JsonPropertyName("idle")]
    public long? Idle { get; set; }
}

/// <summary>Pids controller (<c>linux.resources.pids</c>); a limit of 0 or less means no limit.</summary>
public sealed class LinuxPids
{
    [JsonPropertyName("limit")]
    public long Limit { get; set; }
}

/// <summary>hugetlb limit for one page size (<c>linux.resources.hugepageLimits[]</c>).</summary>
public sealed class LinuxHugepageLimit
{
    /// <summary><c>2MB</c>, <c>1GB</c>, ...</summary>
    [JsonPropertyName("pageSize")]
    public string PageSize { get; set; } = "";

    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }
}

/// <summary>net_cls and net_prio controllers (<c>linux.resources.network</c>).</summary>
public sealed class LinuxNetwork
{
    [JsonPropertyName("classID")]
    public uint? ClassId { get; set; }

    [JsonPropertyName("priorities")]
    public List<LinuxInterfacePriority>? Priorities { get; set; }
}

/// <summary>net_prio priority of one interface.</summary>
public sealed class LinuxInterfacePriority
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("priority")]
    public uint Priority { get; set; }
}

/// <summary>RDMA controller limits of one device (<c>linux.resources.rdma.*</c>).</summary>
public sealed class LinuxRdma
{
    [JsonPropertyName("hcaHandles")]
    public uint? HcaHandles { get; set; }

    [JsonPropertyName("hcaObjects")]
    public uint? HcaObjects { get; set; }
}
