using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>One container in <c>GET /containers/json</c>.</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";

    /// <summary>With the leading slash (<c>/web</c>), links included.</summary>
    public List<string>? Names { get; set; }

    /// <summary>The image as given at create.</summary>
    public string Image { get; set; } = "";

    public string ImageID { get; set; } = "";

    /// <summary>API 1.48+, only with a multi-platform (containerd) image store.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public OciDescriptor? ImageManifestDescriptor { get; set; }

    public string Command { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public List<ContainerPort>? Ports { get; set; }

    /// <summary>Only with <c>?size=1</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long SizeRw { get; set; }

    /// <summary>Only with <c>?size=1</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long SizeRootFs { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public string State { get; set; } = "";

    /// <summary>Human text: <c>Up 5 seconds (healthy)</c>, <c>Exited (0) 2 minutes ago</c>.</summary>
    public string Status { get; set; } = "";

    public ContainerSummaryHostConfig HostConfig { get; set; } = new();

    public ContainerSummaryNetworkSettings? NetworkSettings { get; set; }

    public List<MountPoint>? Mounts { get; set; }
}

/// <summary>A port of a listed container; <see cref="IP"/> and <see cref="PublicPort"/> only when published.</summary>
public sealed class ContainerPort
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? IP { get; set; }

    public ushort PrivatePort { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public ushort PublicPort { get; set; }

    public string Type { get; set; } = "";
}

/// <summary>What container list tells of the host config.</summary>
public sealed class ContainerSummaryHostConfig
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? NetworkMode { get; set; }

    /// <summary>API 1.46+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>What container list tells of the networks.</summary>
public sealed class ContainerSummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings?>? Networks { get; set; }
}
