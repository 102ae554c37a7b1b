using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>A namespace to create, or to join when <see cref="Path"/> is set (<c>linux.namespaces[]</c>).</summary>
public sealed class LinuxNamespace
{
    /// <summary>One of <see cref="LinuxNamespaceType"/>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("path")]
    public string? Path { get; set; }
}

/// <summary>The namespace type names of the spec.</summary>
public static class LinuxNamespaceType
{
    public const string Pid = "pid";
    public const string Network = "network";
    public const string Mount = "mount";
    public const string Ipc = "ipc";
    public const string Uts = "uts";
    public const string User = "user";
    public const string Cgroup = "cgroup";
    public const string Time = "time";
}

/// <summary>One line of uid_map / gid_map (<c>linux.uidMappings[]</c>, <c>mounts[].uidMappings[]</c>).</summary>
public sealed class IdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; set; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; set; }

    [JsonPropertyName("size")]
    public uint Size { get; set; }
}

/// <summary>Offset of one clock in a time namespace (<c>linux.timeOffsets.*</c>).</summary>
public sealed class TimeOffset
{
    [JsonPropertyName("secs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Secs { get; set; }

    [JsonPropertyName("nanosecs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Nanosecs { get; set; }
}
