using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// <c>GET /containers/{id}/json</c> (Docker's <c>ContainerJSON</c>, API 1.50). Times are strings in
/// <see cref="DockerTime"/>'s format.
/// </summary>
public sealed class ContainerInspect
{
    public string Id { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string Created { get; set; } = "";

    public string Path { get; set; } = "";

    public List<string>? Args { get; set; }

    public ContainerState? State { get; set; }

    /// <summary>The image ID (<c>sha256:...</c>).</summary>
    public string Image { get; set; } = "";

    public string ResolvConfPath { get; set; } = "";

    public string HostnamePath { get; set; } = "";

    public string HostsPath { get; set; } = "";

    public string LogPath { get; set; } = "";

    /// <summary>With the leading slash: <c>/web</c>.</summary>
    public string Name { get; set; } = "";

    public int RestartCount { get; set; }

    public string Driver { get; set; } = "";

    public string Platform { get; set; } = "";

    public string MountLabel { get; set; } = "";

    public string ProcessLabel { get; set; } = "";

    public string AppArmorProfile { get; set; } = "";

    public List<string>? ExecIDs { get; set; }

    public HostConfig? HostConfig { get; set; }

    public GraphDriverData GraphDriver { get; set; } = new();

    /// <summary>Only with <c>?size=1</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long? SizeRw { get; set; }

    /// <summary>Only with <c>?size=1</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long? SizeRootFs { get; set; }

    public List<MountPoint>? Mounts { get; set; }

    public ContainerConfig? Config { get; set; }

    public NetworkSettings? NetworkSettings { get; set; }

    /// <summary>API 1.48+, only with a multi-platform (containerd) image store.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public OciDescriptor? ImageManifestDescriptor { get; set; }
}

/// <summary>
/// A container's run state in inspect. <see cref="Status"/>: <c>created</c>, <c>running</c>, <c>paused</c>,
/// <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>; times RFC 3339, <see cref="DockerTime.Zero"/>
/// for never.
/// </summary>
public sealed class ContainerState
{
    public string Status { get; set; } = "";

    public bool Running { get; set; }

    public bool Paused { get; set; }

    public bool Restarting { get; set; }

    public bool OOMKilled { get; set; }

    public bool Dead { get; set; }

    public int Pid { get; set; }

    public int ExitCode { get; set; }

    public string Error { get; set; } = "";

    public string StartedAt { get; set; } = "";

    public string FinishedAt { get; set; } = "";

    /// <summary>Only for a container with a health check.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Health? Health { get; set; }
}

/// <summary>Health check results. <see cref="Status"/>: <c>none</c>, <c>starting</c>, <c>healthy</c>, <c>unhealthy</c>.</summary>
public sealed class Health
{
    public string Status { get; set; } = "";

    public int FailingStreak { get; set; }

    /// <summary>The last few results, oldest first.</summary>
    public List<HealthcheckResult>? Log { get; set; }
}

/// <summary>One run of a health check probe.</summary>
public sealed class HealthcheckResult
{
    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>0 healthy, 1 unhealthy, 2 reserved, other: the probe could not run.</summary>
    public int ExitCode { get; set; }

    public string Output { get; set; } = "";
}

/// <summary>The storage driver and its data (<c>GraphDriver</c> of container and image inspect).</summary>
public sealed class GraphDriverData
{
    public Dictionary<string, string>? Data { get; set; }

    public string Name { get; set; } = "";
}
