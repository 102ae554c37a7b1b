using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// Docker's <c>HostConfig</c>: the host-dependent part of a container's configuration, in the create body and in
/// container inspect. The <see cref="Resources"/> fields are at its top level, between <see cref="Isolation"/> and
/// <see cref="Mounts"/> as Go writes the embedded struct.
/// </summary>
public sealed class HostConfig : Resources
{
    public List<string>? Binds { get; set; }

    public string ContainerIDFile { get; set; } = "";

    public LogConfig LogConfig { get; set; } = new();

    public string NetworkMode { get; set; } = "";

    /// <summary>Container port (<c>"80/tcp"</c>) to host bindings.</summary>
    public Dictionary<string, List<PortBinding>?>? PortBindings { get; set; }

    public RestartPolicy RestartPolicy { get; set; } = new();

    public bool AutoRemove { get; set; }

    public string VolumeDriver { get; set; } = "";

    public List<string>? VolumesFrom { get; set; }

    /// <summary>Go's <c>[2]uint</c>: <c>[height, width]</c>, always two elements.</summary>
    [JsonConverter(typeof(ConsoleSizeConverter))]
    public uint[] ConsoleSize { get; set; } = [0, 0];

    /// <summary>API 1.43+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? CapAdd { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? CapDrop { get; set; }

    public string CgroupnsMode { get; set; } = "";

    public List<string>? Dns { get; set; }

    public List<string>? DnsOptions { get; set; }

    public List<string>? DnsSearch { get; set; }

    public List<string>? ExtraHosts { get; set; }

    public List<string>? GroupAdd { get; set; }

    public string IpcMode { get; set; } = "";

    public string Cgroup { get; set; } = "";

    public List<string>? Links { get; set; }

    public int OomScoreAdj { get; set; }

    public string PidMode { get; set; } = "";

    public bool Privileged { get; set; }

    public bool PublishAllPorts { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public List<string>? SecurityOpt { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? StorageOpt { get; set; }

    /// <summary>Container path to tmpfs mount options.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Tmpfs { get; set; }

    public string UTSMode { get; set; } = "";

    public string UsernsMode { get; set; } = "";

    public long ShmSize { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Sysctls { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Runtime { get; set; }

    public string Isolation { get; set; } = "";

    // Go writes the embedded Resources here; the source generator puts a derived class's properties first, so the
    // fields after it are ordered explicitly.

    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<ContainerMount>? Mounts { get; set; }

    [JsonPropertyOrder(1)]
    public List<string>? MaskedPaths { get; set; }

    [JsonPropertyOrder(1)]
    public List<string>? ReadonlyPaths { get; set; }

    /// <summary>Run an init in the container; null for the daemon's default.</summary>
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool? Init { get; set; }
}

/// <summary>The logging driver and its options (<c>--log-driver</c>, <c>--log-opt</c>).</summary>
public sealed class LogConfig
{
    public string Type { get; set; } = "";

    public Dictionary<string, string>? Config { get; set; }
}

/// <summary>
/// The restart policy: <see cref="Name"/> <c>""</c> or <c>"no"</c>, <c>"always"</c>, <c>"on-failure"</c> (with
/// <see cref="MaximumRetryCount"/>), <c>"unless-stopped"</c>.
/// </summary>
public sealed class RestartPolicy
{
    public string Name { get; set; } = "";

    public int MaximumRetryCount { get; set; }
}

/// <summary>A host address for a published port; empty strings for "any" and "pick one".</summary>
public sealed class PortBinding
{
    public string HostIp { get; set; } = "";

    public string HostPort { get; set; } = "";
}
