using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>
/// The spec's <c>State</c>: written to every hook's stdin (compact, as runc does) and embedded in
/// <see cref="ContainerProcessState"/>.
/// </summary>
public sealed class HookState
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    /// <summary>One of <see cref="ContainerStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    /// <summary>Omitted when 0, like Go's omitempty.</summary>
    [JsonPropertyName("pid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Pid { get; set; }

    [JsonPropertyName("bundle")]
    public string Bundle { get; set; } = "";

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>
/// Sent with the seccomp notify fd (SCM_RIGHTS) to the agent at <see cref="LinuxSeccomp.ListenerPath"/>.
/// </summary>
public sealed class ContainerProcessState
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    /// <summary>Names of the passed fds, index for index (<c>seccompFd</c>, <c>pidFd</c>); always written.</summary>
    [JsonPropertyName("fds")]
    public List<string> Fds { get; set; } = [];

    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary><see cref="LinuxSeccomp.ListenerMetadata"/>.</summary>
    [JsonPropertyName("metadata")]
    public string? Metadata { get; set; }

    [JsonPropertyName("state")]
    public HookState State { get; set; } = new();
}
