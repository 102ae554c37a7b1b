using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// Docker's HEALTHCHECK (moby/docker-image-spec <c>HealthcheckConfig</c>). Durations are Go <c>time.Duration</c>s:
/// integer nanoseconds, zero meaning "inherit".
/// </summary>
public sealed record HealthcheckConfig
{
    /// <summary>Empty: inherit; <c>["NONE"]</c>: disabled; <c>["CMD", args...]</c> or <c>["CMD-SHELL", command]</c>.</summary>
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    /// <summary>Nanoseconds between checks.</summary>
    [JsonPropertyName("Interval")]
    public long Interval { get; init; }

    /// <summary>Nanoseconds before a check counts as hung.</summary>
    [JsonPropertyName("Timeout")]
    public long Timeout { get; init; }

    /// <summary>Nanoseconds after start during which failures do not count.</summary>
    [JsonPropertyName("StartPeriod")]
    public long StartPeriod { get; init; }

    /// <summary>Nanoseconds between checks during the start period.</summary>
    [JsonPropertyName("StartInterval")]
    public long StartInterval { get; init; }

    /// <summary>Consecutive failures before the container is unhealthy.</summary>
    [JsonPropertyName("Retries")]
    public int Retries { get; init; }
}
