using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image's config blob: the OCI image config with Docker's additions. An image's ID is the digest of this blob's
/// exact bytes, so an ID is never computed from a re-serialized config: keep the bytes (<see cref="ImageDocument{T}"/>).
/// <para>
/// Properties are in byte order of their names, as Docker and BuildKit write the top level (both re-marshal it through
/// a map). <c>container</c>, <c>container_config</c>, <c>docker_version</c> and <c>comment</c> are Docker's legacy
/// fields, kept when present; <c>container_config</c> is kept as it was written.
/// </para>
/// </summary>
public sealed record ImageConfig
{
    // Never null: the source generator sets every init property, an absent one to null.
    [JsonPropertyName("architecture")]
    public string Architecture { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    /// <summary>Docker's commit message (<c>docker commit -m</c>, <c>docker import -m</c>).</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("config")]
    public ExecutionConfig? Config { get; init; }

    /// <summary>Legacy: the ID of the container the classic builder committed.</summary>
    [JsonPropertyName("container")]
    public string? Container { get; init; }

    /// <summary>Legacy: that container's config, as written.</summary>
    [JsonPropertyName("container_config")]
    public JsonElement? ContainerConfig { get; init; }

    [JsonPropertyName("created")]
    public Timestamp? Created { get; init; }

    /// <summary>Legacy: the version of the Docker that built the image.</summary>
    [JsonPropertyName("docker_version")]
    public string? DockerVersion { get; init; }

    [JsonPropertyName("history")]
    public IReadOnlyList<History>? History { get; init; }

    [JsonPropertyName("os")]
    public string OS { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OSFeatures { get; init; }

    [JsonPropertyName("os.version")]
    public string? OSVersion { get; init; }

    [JsonPropertyName("rootfs")]
    public RootFS? RootFS { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>The platform the config declares (what <c>docker image inspect</c> shows as Os/Architecture/Variant).</summary>
    [JsonIgnore]
    public Platform Platform => new()
    {
        Architecture = Architecture,
        OS = OS,
        OSVersion = OSVersion,
        OSFeatures = OSFeatures,
        Variant = Variant,
    };
}
