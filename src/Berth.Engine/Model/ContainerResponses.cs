using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary><c>POST /containers/{id}/wait</c>: the exit status, and an error if waiting failed.</summary>
public sealed class ContainerWaitResponse
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ContainerWaitExitError? Error { get; set; }

    public long StatusCode { get; set; }
}

public sealed class ContainerWaitExitError
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Message { get; set; }
}

/// <summary><c>GET /containers/{id}/top</c>: <c>ps</c> columns and one row per process.</summary>
public sealed class ContainerTopResponse
{
    public List<List<string>>? Processes { get; set; }

    public List<string>? Titles { get; set; }
}

/// <summary>One entry of <c>GET /containers/{id}/changes</c>.</summary>
public sealed class FilesystemChange
{
    public FilesystemChangeKind Kind { get; set; }

    public string Path { get; set; } = "";
}

/// <summary>A change's kind, written as its number.</summary>
public enum FilesystemChangeKind : byte
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}

/// <summary><c>POST /containers/{id}/update</c>.</summary>
public sealed class ContainerUpdateResponse
{
    public List<string>? Warnings { get; set; }
}

/// <summary><c>POST /containers/prune</c>.</summary>
public sealed class ContainerPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }

    public ulong SpaceReclaimed { get; set; }
}

/// <summary>
/// The <c>X-Docker-Container-Path-Stat</c> header of the archive endpoints (base64 of this JSON, lowercase names as
/// Docker writes them).
/// </summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>Go's <c>os.FileMode</c>: permission bits and Go's type bits (directory 1&lt;&lt;31, symlink 1&lt;&lt;27, ...).</summary>
    [JsonPropertyName("mode")]
    public uint Mode { get; set; }

    [JsonPropertyName("mtime")]
    public DateTimeOffset Mtime { get; set; }

    [JsonPropertyName("linkTarget")]
    public string LinkTarget { get; set; } = "";
}
