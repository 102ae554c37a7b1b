using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>A device node to create in the container (<c>linux.devices[]</c>).</summary>
public sealed class LinuxDevice
{
    /// <summary>Absolute path inside the container.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary><c>c</c>, <c>b</c>, <c>u</c> or <c>p</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("major")]
    public long Major { get; set; }

    [JsonPropertyName("minor")]
    public long Minor { get; set; }

    /// <summary>Permission bits (Go os.FileMode, a JSON number such as 438 for 0666).</summary>
    [JsonPropertyName("fileMode")]
    public uint? FileMode { get; set; }

    [JsonPropertyName("uid")]
    public uint? Uid { get; set; }

    [JsonPropertyName("gid")]
    public uint? Gid { get; set; }
}
