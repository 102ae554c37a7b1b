using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// A container's resource limits (cgroups, ulimits): embedded in <see cref="HostConfig"/> (its fields at the host
/// config's top level) and in the update body (<see cref="ContainerUpdateRequest"/>).
/// </summary>
public class Resources
{
    public long CpuShares { get; set; }

    public long Memory { get; set; }

    public long NanoCpus { get; set; }

    public string CgroupParent { get; set; } = "";

    public ushort BlkioWeight { get; set; }

    public List<WeightDevice>? BlkioWeightDevice { get; set; }

    public List<ThrottleDevice>? BlkioDeviceReadBps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceWriteBps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceReadIOps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceWriteIOps { get; set; }

    public long CpuPeriod { get; set; }

    public long CpuQuota { get; set; }

    public long CpuRealtimePeriod { get; set; }

    public long CpuRealtimeRuntime { get; set; }

    public string CpusetCpus { get; set; } = "";

    public string CpusetMems { get; set; } = "";

    public List<DeviceMapping>? Devices { get; set; }

    public List<string>? DeviceCgroupRules { get; set; }

    public List<DeviceRequest>? DeviceRequests { get; set; }

    /// <summary>Deprecated (kernel 5.4 dropped kmem limits); Docker ignores it and writes it only when set.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long KernelMemory { get; set; }

    /// <summary>Deprecated in API 1.51 and gone from 1.52; in 1.50, written only when set.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long KernelMemoryTCP { get; set; }

    public long MemoryReservation { get; set; }

    /// <summary>Memory plus swap; -1 for unlimited swap.</summary>
    public long MemorySwap { get; set; }

    public long? MemorySwappiness { get; set; }

    public bool? OomKillDisable { get; set; }

    /// <summary>0 or -1 for unlimited, null to leave unchanged.</summary>
    public long? PidsLimit { get; set; }

    public List<Ulimit>? Ulimits { get; set; }

    /// <summary>Windows only, as the three below.</summary>
    public long CpuCount { get; set; }

    public long CpuPercent { get; set; }

    public ulong IOMaximumIOps { get; set; }

    public ulong IOMaximumBandwidth { get; set; }
}

/// <summary>A device node to create in the container (<c>--device</c>).</summary>
public sealed class DeviceMapping
{
    public string PathOnHost { get; set; } = "";

    public string PathInContainer { get; set; } = "";

    public string CgroupPermissions { get; set; } = "";
}

/// <summary>A request for devices from a device driver (<c>--gpus</c>); <see cref="Count"/> -1 for all.</summary>
public sealed class DeviceRequest
{
    public string Driver { get; set; } = "";

    public int Count { get; set; }

    public List<string>? DeviceIDs { get; set; }

    /// <summary>An OR list of AND lists of capabilities.</summary>
    public List<List<string>>? Capabilities { get; set; }

    public Dictionary<string, string>? Options { get; set; }
}

/// <summary>A block device's IO weight (<c>--blkio-weight-device</c>).</summary>
public sealed class WeightDevice
{
    public string Path { get; set; } = "";

    public ushort Weight { get; set; }
}

/// <summary>A block device's bytes or operations per second (<c>--device-read-bps</c> and the like).</summary>
public sealed class ThrottleDevice
{
    public string Path { get; set; } = "";

    public ulong Rate { get; set; }
}

/// <summary>An rlimit (<c>--ulimit nofile=1024:2048</c>).</summary>
public sealed class Ulimit
{
    public string Name { get; set; } = "";

    public long Hard { get; set; }

    public long Soft { get; set; }
}
