using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// A mount requested with <c>--mount</c> (<c>HostConfig.Mounts</c>): <see cref="Type"/> <c>bind</c>, <c>volume</c>,
/// <c>tmpfs</c>, <c>npipe</c>, <c>cluster</c> or <c>image</c> (API 1.48+).
/// </summary>
public sealed class ContainerMount
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Type { get; set; }

    /// <summary>Volume name or host path; empty for tmpfs.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Source { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Target { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool ReadOnly { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Consistency { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public BindOptions? BindOptions { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public VolumeOptions? VolumeOptions { get; set; }

    /// <summary>API 1.48+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ImageMountOptions? ImageOptions { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public TmpfsOptions? TmpfsOptions { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public ClusterOptions? ClusterOptions { get; set; }
}

public sealed class BindOptions
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Propagation { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool NonRecursive { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool CreateMountpoint { get; set; }

    /// <summary>API 1.44+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool ReadOnlyNonRecursive { get; set; }

    /// <summary>API 1.44+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool ReadOnlyForceRecursive { get; set; }
}

public sealed class VolumeOptions
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool NoCopy { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>API 1.45+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Subpath { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public MountDriver? DriverConfig { get; set; }
}

/// <summary>A volume driver and its options.</summary>
public sealed class MountDriver
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Name { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Options { get; set; }
}

/// <summary>Options of an <c>image</c> mount (API 1.48+).</summary>
public sealed class ImageMountOptions
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Subpath { get; set; }
}

public sealed class TmpfsOptions
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long SizeBytes { get; set; }

    /// <summary>Go's <c>os.FileMode</c> as a number.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public uint Mode { get; set; }

    /// <summary>API 1.46+: flags as one-element lists, key/value options as two-element lists.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<List<string>>? Options { get; set; }
}

/// <summary>Options of a swarm cluster volume (none yet).</summary>
public sealed class ClusterOptions
{
}

/// <summary>A mount as container inspect and list report it (<c>Mounts</c>).</summary>
public sealed class MountPoint
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Type { get; set; }

    /// <summary>The volume's name, for volumes.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Name { get; set; }

    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Driver { get; set; }

    public string Mode { get; set; } = "";

    public bool RW { get; set; }

    public string Propagation { get; set; } = "";
}
