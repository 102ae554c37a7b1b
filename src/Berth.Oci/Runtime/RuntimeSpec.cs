using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>
/// A bundle's <c>config.json</c>: the OCI runtime-spec <c>Spec</c> (v1.2, Linux parts).
/// Properties are declared in the order of runtime-spec's Go struct, which is the order runc writes them.
/// Null means absent: it is omitted on write, like Go's <c>omitempty</c>; an empty list is written as <c>[]</c>.
/// </summary>
public sealed class RuntimeSpec
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    [JsonPropertyName("process")]
    public Process? Process { get; set; }

    [JsonPropertyName("root")]
    public Root? Root { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("domainname")]
    public string? Domainname { get; set; }

    [JsonPropertyName("mounts")]
    public List<Mount>? Mounts { get; set; }

    [JsonPropertyName("hooks")]
    public Hooks? Hooks { get; set; }

    /// <summary>Written with keys sorted by byte value, as Go writes maps.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("linux")]
    public Linux? Linux { get; set; }
}

/// <summary>The container's root filesystem.</summary>
public sealed class Root
{
    /// <summary>Path to the root filesystem, absolute or relative to the bundle.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("readonly")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Readonly { get; set; }
}
