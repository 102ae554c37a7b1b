using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// A reference to content: its type, digest and size, with optional URLs, annotations, embedded data, platform
/// (for entries of an index) and artifact type (OCI image spec v1.1 "Content Descriptors").
/// Properties are in the order OCI writes them; Docker's schema 2 documents put <c>size</c> before <c>digest</c>,
/// which <see cref="OciImageJson"/> follows when it writes a Docker document.
/// </summary>
public sealed record Descriptor
{
    // Never null: the source generator sets every init property, an absent one to null.
    [JsonPropertyName("mediaType")]
    public string MediaType { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("digest")]
    public Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The content itself, base64 in JSON; when present it must match <see cref="Digest"/> and <see cref="Size"/>.</summary>
    [JsonPropertyName("data")]
    public byte[]? Data { get; init; }

    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>A descriptor of <paramref name="content"/>, digested with sha256.</summary>
    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content) =>
        new() { MediaType = mediaType, Digest = Digest.FromBytes(content), Size = content.Length };
}
