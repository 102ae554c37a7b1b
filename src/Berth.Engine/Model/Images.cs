using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>One image in <c>GET /images/json</c>.</summary>
public sealed class ImageSummary
{
    /// <summary>Containers using the image; -1 when not computed.</summary>
    public long Containers { get; set; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string Id { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }

    public string ParentId { get; set; } = "";

    /// <summary>API 1.48+, only with a multi-platform (containerd) image store.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public OciDescriptor? Descriptor { get; set; }

    public List<string>? RepoDigests { get; set; }

    public List<string>? RepoTags { get; set; }

    /// <summary>-1 when not computed.</summary>
    public long SharedSize { get; set; }

    public long Size { get; set; }

    /// <summary>Only for API versions below 1.44 (the same as <see cref="Size"/>); leave null for 1.44 and later.</summary>
    [JsonIgnore(Condition = WhenWritingNull)]
    public long? VirtualSize { get; set; }
}

/// <summary>
/// <c>GET /images/{name}/json</c> as API 1.50 writes it. Older versions also had <c>Container</c> and
/// <c>ContainerConfig</c> (before 1.45) and container-only <c>Config</c> fields such as <c>Hostname</c> (before
/// 1.50); they are not modelled.
/// </summary>
public sealed class ImageInspectResponse
{
    public string Id { get; set; } = "";

    public List<string>? RepoTags { get; set; }

    public List<string>? RepoDigests { get; set; }

    public string Parent { get; set; } = "";

    public string Comment { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds, left out when the image has no creation time.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Created { get; set; }

    public string DockerVersion { get; set; } = "";

    public string Author { get; set; } = "";

    public ImageConfig? Config { get; set; }

    public string Architecture { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Variant { get; set; }

    public string Os { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? OsVersion { get; set; }

    public long Size { get; set; }

    /// <summary>Only for API versions below 1.44; leave null for 1.44 and later.</summary>
    [JsonIgnore(Condition = WhenWritingNull)]
    public long? VirtualSize { get; set; }

    public GraphDriverData GraphDriver { get; set; } = new();

    public ImageRootFS RootFS { get; set; } = new();

    public ImageMetadata Metadata { get; set; } = new();

    /// <summary>API 1.48+, only with a multi-platform (containerd) image store.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public OciDescriptor? Descriptor { get; set; }
}

/// <summary>
/// An image's execution defaults in image inspect (API 1.50: the OCI image config with Docker's
/// <c>Healthcheck</c>, <c>OnBuild</c> and <c>Shell</c>). As Docker 28 does for 1.50, <c>Cmd</c>, <c>Entrypoint</c>,
/// <c>Env</c>, <c>Labels</c>, <c>OnBuild</c>, <c>User</c>, <c>Volumes</c> and <c>WorkingDir</c> are written even
/// when empty, the others only when set; Docker writes the keys sorted, as here.
/// </summary>
public sealed class ImageConfig
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool ArgsEscaped { get; set; }

    public List<string>? Cmd { get; set; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Env { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public HealthConfig? Healthcheck { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public List<string>? OnBuild { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Shell { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? StopSignal { get; set; }

    public string User { get; set; } = "";

    public Dictionary<string, EmptyObject>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";
}

/// <summary>The image's layers (diff IDs), <see cref="Type"/> <c>layers</c>.</summary>
public sealed class ImageRootFS
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Layers { get; set; }
}

/// <summary>Daemon-local facts about an image.</summary>
public sealed class ImageMetadata
{
    /// <summary>When the image was last tagged; the zero time (written as such) if never.</summary>
    public DateTimeOffset LastTagTime { get; set; }
}

/// <summary>One layer in <c>GET /images/{name}/history</c>, newest first.</summary>
public sealed class ImageHistoryItem
{
    public string Comment { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>The image ID for layers that are images, <c>&lt;missing&gt;</c> otherwise.</summary>
    public string Id { get; set; } = "";

    public long Size { get; set; }

    public List<string>? Tags { get; set; }
}

/// <summary>One entry of <c>DELETE /images/{name}</c> and of image prune: one of the two is set.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Deleted { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Untagged { get; set; }
}

/// <summary><c>POST /images/prune</c>.</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; set; }

    public ulong SpaceReclaimed { get; set; }
}

/// <summary>An OCI content descriptor as the Engine API carries it (image-spec names).</summary>
public sealed class OciDescriptor
{
    [JsonPropertyName("mediaType")]
    public string MediaType { get; set; } = "";

    [JsonPropertyName("digest")]
    public string Digest { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("urls")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Urls { get; set; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("data")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public byte[]? Data { get; set; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public OciPlatform? Platform { get; set; }

    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? ArtifactType { get; set; }
}

/// <summary>An OCI platform (image-spec names).</summary>
public sealed class OciPlatform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("os")]
    public string Os { get; set; } = "";

    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? OsVersion { get; set; }

    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? OsFeatures { get; set; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Variant { get; set; }
}
