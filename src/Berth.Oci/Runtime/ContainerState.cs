using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>
/// What <c>runc state</c> prints and <c>runc list --format json</c> lists: runc's own container state
/// (field set and order of runc's <c>containerState</c>), a superset of the spec's state.
/// <c>runc state</c> writes it indented with two spaces, <c>runc list</c> compact; <c>owner</c> is empty in
/// <c>state</c> and the owner's user name in <c>list</c>.
/// </summary>
public sealed class ContainerState
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    /// <summary>PID of the container's init process in the runtime's PID namespace; 0 once stopped.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary>One of <see cref="ContainerStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    /// <summary>Absolute path of the bundle.</summary>
    [JsonPropertyName("bundle")]
    public string Bundle { get; set; } = "";

    /// <summary>Absolute path of the root filesystem.</summary>
    [JsonPropertyName("rootfs")]
    public string Rootfs { get; set; } = "";

    /// <summary>Written as Go's RFC 3339 with nanoseconds (trailing zeros trimmed, <c>Z</c> for UTC); DateTimeOffset keeps 100 ns.</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Always written; runc leaves it empty in <c>state</c>.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; set; } = "";
}

/// <summary>Container statuses: the spec's four, plus runc's <c>paused</c> and <c>pausing</c>.</summary>
public static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
    public const string Pausing = "pausing";
}
