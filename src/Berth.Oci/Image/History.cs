using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// One step of an image's history (<c>docker history</c>). Entries with <see cref="EmptyLayer"/> made no layer; the
/// others match the diff IDs of <see cref="RootFS"/> in order.
/// </summary>
public sealed record History
{
    [JsonPropertyName("created")]
    public Timestamp? Created { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    public bool EmptyLayer { get; init; }
}
