using System.Text.Json;
using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// <c>GET /system/df</c> as API 1.50 writes it (1.52 adds per-kind usage summaries; <c>BuilderSize</c> went away in
/// 1.40 and is not modelled).
/// </summary>
public sealed class SystemDataUsage
{
    public long LayersSize { get; set; }

    public List<ImageSummary>? Images { get; set; }

    public List<ContainerSummary>? Containers { get; set; }

    public List<Volume>? Volumes { get; set; }

    public List<BuildCacheRecord>? BuildCache { get; set; }
}

/// <summary>A volume (<c>GET /volumes</c>, <c>/system/df</c>); Docker writes its keys sorted, as here.</summary>
public sealed class Volume
{
    /// <summary>RFC 3339.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? CreatedAt { get; set; }

    public string Driver { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }

    public string Mountpoint { get; set; } = "";

    public string Name { get; set; } = "";

    public Dictionary<string, string>? Options { get; set; }

    /// <summary><c>local</c> or <c>global</c>.</summary>
    public string Scope { get; set; } = "";

    /// <summary>Driver-specific details, when the driver gives any.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, JsonElement>? Status { get; set; }

    /// <summary>Only in <c>/system/df</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public VolumeUsageData? UsageData { get; set; }
}

/// <summary>A volume's disk use; -1 where not available.</summary>
public sealed class VolumeUsageData
{
    public long RefCount { get; set; }

    public long Size { get; set; }
}

/// <summary>A build cache record (<c>/system/df</c>).</summary>
public sealed class BuildCacheRecord
{
    public string ID { get; set; } = "";

    /// <summary>Deprecated (API 1.42) for <see cref="Parents"/>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Parent { get; set; }

    /// <summary>The JSON name has a leading space, a slip in Docker's Go tag that its API has kept.</summary>
    [JsonPropertyName(" Parents")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Parents { get; set; }

    public string Type { get; set; } = "";

    public string Description { get; set; } = "";

    public bool InUse { get; set; }

    public bool Shared { get; set; }

    public long Size { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public int UsageCount { get; set; }
}
