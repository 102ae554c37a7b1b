using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>personality(2) of the container (<c>linux.personality</c>).</summary>
public sealed class LinuxPersonality
{
    /// <summary><c>LINUX</c> or <c>LINUX32</c>.</summary>
    [JsonPropertyName("domain")]
    public string Domain { get; set; } = "";

    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }
}

/// <summary>Intel RDT (resctrl) settings (<c>linux.intelRdt</c>).</summary>
public sealed class LinuxIntelRdt
{
    [JsonPropertyName("closID")]
    public string? ClosId { get; set; }

    /// <summary>Complete schemata written as is (runtime-spec 1.2.1); overrides the two schemas below.</summary>
    [JsonPropertyName("schemata")]
    public string? Schemata { get; set; }

    [JsonPropertyName("l3CacheSchema")]
    public string? L3CacheSchema { get; set; }

    [JsonPropertyName("memBwSchema")]
    public string? MemBwSchema { get; set; }

    [JsonPropertyName("enableCMT")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnableCmt { get; set; }

    [JsonPropertyName("enableMBM")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnableMbm { get; set; }
}

/// <summary>A host network device moved into the container (<c>linux.netDevices.*</c>).</summary>
public sealed class LinuxNetDevice
{
    /// <summary>Name inside the container; the host name when null.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
