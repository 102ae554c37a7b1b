using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// The <c>config</c> of an image config: how to run a container of it. Fields and order as Docker writes them today
/// (moby/docker-image-spec <c>DockerOCIImageConfig</c>: the OCI <c>ImageConfig</c>, then Docker's healthcheck, ONBUILD
/// and SHELL), plus <c>StopTimeout</c> from Docker's container config. The other fields of Docker's legacy container
/// config (Hostname, AttachStdin, Image, ...) carry nothing for an image and are not kept.
/// </summary>
public sealed record ExecutionConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary><c>port/protocol</c> keys (<c>80/tcp</c>); written as a JSON object with <c>{}</c> values.</summary>
    [JsonPropertyName("ExposedPorts")]
    public IReadOnlySet<string>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Container paths; written as a JSON object with <c>{}</c> values.</summary>
    [JsonPropertyName("Volumes")]
    public IReadOnlySet<string>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    /// <summary>Windows only: the command line is already escaped.</summary>
    [JsonPropertyName("ArgsEscaped")]
    public bool ArgsEscaped { get; init; }

    [JsonPropertyName("Healthcheck")]
    public HealthcheckConfig? Healthcheck { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }

    /// <summary>Seconds to wait after the stop signal before killing.</summary>
    [JsonPropertyName("StopTimeout")]
    public int? StopTimeout { get; init; }
}
