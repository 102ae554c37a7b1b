using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>The Linux section of the config (<c>linux</c>), in runtime-spec's Go field order.</summary>
public sealed class Linux
{
    [JsonPropertyName("uidMappings")]
    public List<IdMapping>? UidMappings { get; set; }

    [JsonPropertyName("gidMappings")]
    public List<IdMapping>? GidMappings { get; set; }

    /// <summary>sysctl name (dotted, <c>net.ipv4.ip_forward</c>) to value. Written with sorted keys.</summary>
    [JsonPropertyName("sysctl")]
    public Dictionary<string, string>? Sysctl { get; set; }

    [JsonPropertyName("resources")]
    public LinuxResources? Resources { get; set; }

    [JsonPropertyName("cgroupsPath")]
    public string? CgroupsPath { get; set; }

    /// <summary>
    /// Namespaces to create (no path) or join (path). Null and empty differ when read (absent vs <c>[]</c>);
    /// both mean that every namespace is inherited from the runtime.
    /// </summary>
    [JsonPropertyName("namespaces")]
    public List<LinuxNamespace>? Namespaces { get; set; }

    [JsonPropertyName("devices")]
    public List<LinuxDevice>? Devices { get; set; }

    [JsonPropertyName("seccomp")]
    public LinuxSeccomp? Seccomp { get; set; }

    /// <summary><c>private</c>, <c>shared</c>, <c>slave</c> or <c>unbindable</c> (r-prefixed forms accepted by runc).</summary>
    [JsonPropertyName("rootfsPropagation")]
    public string? RootfsPropagation { get; set; }

    [JsonPropertyName("maskedPaths")]
    public List<string>? MaskedPaths { get; set; }

    [JsonPropertyName("readonlyPaths")]
    public List<string>? ReadonlyPaths { get; set; }

    [JsonPropertyName("mountLabel")]
    public string? MountLabel { get; set; }

    [JsonPropertyName("intelRdt")]
    public LinuxIntelRdt? IntelRdt { get; set; }

    [JsonPropertyName("personality")]
    public LinuxPersonality? Personality { get; set; }

    /// <summary>Clock name (<c>monotonic</c>, <c>boottime</c>) to offset, for a time namespace. Written with sorted keys.</summary>
    [JsonPropertyName("timeOffsets")]
    public Dictionary<string, TimeOffset>? TimeOffsets { get; set; }

    /// <summary>Host interface name to its settings in the container (runtime-spec 1.2.1). Written with sorted keys.</summary>
    [JsonPropertyName("netDevices")]
    public Dictionary<string, LinuxNetDevice>? NetDevices { get; set; }
}
