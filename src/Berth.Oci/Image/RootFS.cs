using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>The layers of an image by their uncompressed digests (diff IDs), bottom first.</summary>
public sealed record RootFS
{
    /// <summary>The only type there is.</summary>
    public const string LayersType = "layers";

    // Never null: the source generator sets every init property, an absent one to null.
    [JsonPropertyName("type")]
    public string Type { get; init => field = value ?? ""; } = LayersType;

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest>? DiffIds { get; init; }
}
