using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>A mount on top of the root filesystem (<c>mounts[]</c>).</summary>
public sealed class Mount
{
    /// <summary>Absolute path inside the container.</summary>
    [JsonPropertyName("destination")]
    public string Destination { get; set; } = "";

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>fstab-style options (<c>ro</c>, <c>nosuid</c>, <c>rbind</c>, <c>mode=755</c>, ...).</summary>
    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }

    /// <summary>ID mappings of an idmapped mount.</summary>
    [JsonPropertyName("uidMappings")]
    public List<IdMapping>? UidMappings { get; set; }

    [JsonPropertyName("gidMappings")]
    public List<IdMapping>? GidMappings { get; set; }
}
