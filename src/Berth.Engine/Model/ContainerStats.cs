using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// One sample of <c>GET /containers/{id}/stats</c> (Docker's <c>StatsResponse</c>, snake_case names). Linux fills
/// pids, blkio, cpu, memory and networks; <c>num_procs</c> and <c>storage_stats</c> are Windows'. With cgroup v1
/// <see cref="MemoryStats.Stats"/> holds memory.stat's v1 keys (<c>cache</c>, <c>rss</c>, <c>total_*</c>, ...) and
/// <see cref="MemoryStats.MaxUsage"/>/<see cref="MemoryStats.Failcnt"/> are set; with v2 it holds v2's keys
/// (<c>anon</c>, <c>file</c>, <c>inactive_file</c>, ...) and those two are absent.
/// </summary>
public sealed class ContainerStats
{
    /// <summary>With the leading slash.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Name { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Id { get; set; }

    [JsonPropertyName("read")]
    public DateTimeOffset Read { get; set; }

    /// <summary>When the previous sample was read; the zero time for the first.</summary>
    [JsonPropertyName("preread")]
    public DateTimeOffset PreRead { get; set; }

    [JsonPropertyName("pids_stats")]
    public PidsStats PidsStats { get; set; } = new();

    [JsonPropertyName("blkio_stats")]
    public BlkioStats BlkioStats { get; set; } = new();

    [JsonPropertyName("num_procs")]
    public uint NumProcs { get; set; }

    [JsonPropertyName("storage_stats")]
    public StorageStats StorageStats { get; set; } = new();

    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; set; } = new();

    [JsonPropertyName("precpu_stats")]
    public CpuStats PreCpuStats { get; set; } = new();

    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; set; } = new();

    /// <summary>Per interface (<c>eth0</c>).</summary>
    [JsonPropertyName("networks")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, NetworkStats>? Networks { get; set; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Current { get; set; }

    /// <summary>0 for no limit.</summary>
    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Limit { get; set; }
}

/// <summary>Block IO per device and operation (cgroup v2 fills only the bytes and ops lists).</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")]
    public List<BlkioStatEntry>? IoServiceBytesRecursive { get; set; }

    [JsonPropertyName("io_serviced_recursive")]
    public List<BlkioStatEntry>? IoServicedRecursive { get; set; }

    [JsonPropertyName("io_queue_recursive")]
    public List<BlkioStatEntry>? IoQueuedRecursive { get; set; }

    [JsonPropertyName("io_service_time_recursive")]
    public List<BlkioStatEntry>? IoServiceTimeRecursive { get; set; }

    [JsonPropertyName("io_wait_time_recursive")]
    public List<BlkioStatEntry>? IoWaitTimeRecursive { get; set; }

    [JsonPropertyName("io_merged_recursive")]
    public List<BlkioStatEntry>? IoMergedRecursive { get; set; }

    [JsonPropertyName("io_time_recursive")]
    public List<BlkioStatEntry>? IoTimeRecursive { get; set; }

    [JsonPropertyName("sectors_recursive")]
    public List<BlkioStatEntry>? SectorsRecursive { get; set; }
}

public sealed class BlkioStatEntry
{
    [JsonPropertyName("major")]
    public ulong Major { get; set; }

    [JsonPropertyName("minor")]
    public ulong Minor { get; set; }

    /// <summary><c>read</c>, <c>write</c> (v2); v1 also <c>sync</c>, <c>async</c>, <c>discard</c>, <c>total</c>, capitalised.</summary>
    [JsonPropertyName("op")]
    public string Op { get; set; } = "";

    [JsonPropertyName("value")]
    public ulong Value { get; set; }
}

/// <summary>Windows storage counters.</summary>
public sealed class StorageStats
{
    [JsonPropertyName("read_count_normalized")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong ReadCountNormalized { get; set; }

    [JsonPropertyName("read_size_bytes")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong ReadSizeBytes { get; set; }

    [JsonPropertyName("write_count_normalized")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong WriteCountNormalized { get; set; }

    [JsonPropertyName("write_size_bytes")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong WriteSizeBytes { get; set; }
}

public sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; set; } = new();

    /// <summary>Host CPU time in nanoseconds (Linux).</summary>
    [JsonPropertyName("system_cpu_usage")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong SystemUsage { get; set; }

    [JsonPropertyName("online_cpus")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public uint OnlineCpus { get; set; }

    /// <summary>Always written (Go's omitempty does not apply to a struct).</summary>
    [JsonPropertyName("throttling_data")]
    public ThrottlingData ThrottlingData { get; set; } = new();
}

/// <summary>CPU time in nanoseconds since the container started.</summary>
public sealed class CpuUsage
{
    [JsonPropertyName("total_usage")]
    public ulong TotalUsage { get; set; }

    /// <summary>cgroup v1 only.</summary>
    [JsonPropertyName("percpu_usage")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<ulong>? PercpuUsage { get; set; }

    [JsonPropertyName("usage_in_kernelmode")]
    public ulong UsageInKernelmode { get; set; }

    [JsonPropertyName("usage_in_usermode")]
    public ulong UsageInUsermode { get; set; }
}

public sealed class ThrottlingData
{
    [JsonPropertyName("periods")]
    public ulong Periods { get; set; }

    [JsonPropertyName("throttled_periods")]
    public ulong ThrottledPeriods { get; set; }

    /// <summary>Nanoseconds.</summary>
    [JsonPropertyName("throttled_time")]
    public ulong ThrottledTime { get; set; }
}

public sealed class MemoryStats
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Usage { get; set; }

    /// <summary>cgroup v1 only.</summary>
    [JsonPropertyName("max_usage")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong MaxUsage { get; set; }

    /// <summary>memory.stat as read (v1 or v2 keys).</summary>
    [JsonPropertyName("stats")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, ulong>? Stats { get; set; }

    /// <summary>cgroup v1 only.</summary>
    [JsonPropertyName("failcnt")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Failcnt { get; set; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Limit { get; set; }

    /// <summary>Windows.</summary>
    [JsonPropertyName("commitbytes")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong Commit { get; set; }

    /// <summary>Windows.</summary>
    [JsonPropertyName("commitpeakbytes")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong CommitPeak { get; set; }

    /// <summary>Windows.</summary>
    [JsonPropertyName("privateworkingset")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ulong PrivateWorkingSet { get; set; }
}

public sealed class NetworkStats
{
    [JsonPropertyName("rx_bytes")]
    public ulong RxBytes { get; set; }

    [JsonPropertyName("rx_packets")]
    public ulong RxPackets { get; set; }

    [JsonPropertyName("rx_errors")]
    public ulong RxErrors { get; set; }

    [JsonPropertyName("rx_dropped")]
    public ulong RxDropped { get; set; }

    [JsonPropertyName("tx_bytes")]
    public ulong TxBytes { get; set; }

    [JsonPropertyName("tx_packets")]
    public ulong TxPackets { get; set; }

    [JsonPropertyName("tx_errors")]
    public ulong TxErrors { get; set; }

    [JsonPropertyName("tx_dropped")]
    public ulong TxDropped { get; set; }

    /// <summary>Windows.</summary>
    [JsonPropertyName("endpoint_id")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? EndpointId { get; set; }

    /// <summary>Windows.</summary>
    [JsonPropertyName("instance_id")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? InstanceId { get; set; }
}
