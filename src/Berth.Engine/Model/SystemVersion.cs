using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary><c>GET /version</c>.</summary>
public sealed class SystemVersion
{
    /// <summary>Always written (Go's omitempty does not apply to a struct).</summary>
    public SystemVersionPlatform Platform { get; set; } = new();

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<ComponentVersion>? Components { get; set; }

    public string Version { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? MinAPIVersion { get; set; }

    public string GitCommit { get; set; } = "";

    public string GoVersion { get; set; } = "";

    public string Os { get; set; } = "";

    public string Arch { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? KernelVersion { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool Experimental { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? BuildTime { get; set; }
}

public sealed class SystemVersionPlatform
{
    public string Name { get; set; } = "";
}

/// <summary>One component of the engine (<c>Engine</c>, <c>containerd</c>, <c>runc</c>, <c>docker-init</c>).</summary>
public sealed class ComponentVersion
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Details { get; set; }
}
