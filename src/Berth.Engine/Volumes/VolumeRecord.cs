using System.Text.Json.Serialization;

namespace Berth.Engine.Volumes;

/// <summary>What the store keeps of a volume, as volumes/&lt;name&gt;/volume.json beside its _data.</summary>
public sealed class VolumeRecord
{
    public string Name { get; set; } = "";

    public string Driver { get; set; } = LocalDriver.Name;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>As the client gave them: null and empty are told apart in inspect, as Docker does.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>The local driver's options (type, device, o).</summary>
    public Dictionary<string, string>? Options { get; set; }

    [JsonIgnore]
    public bool IsAnonymous => Labels?.ContainsKey(VolumeNames.AnonymousLabel) == true;
}

/// <summary>The volume store's persisted documents (source-generated: AOT-clean).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumeJson : JsonSerializerContext
{
}
