using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>Lifecycle hooks (<c>hooks</c>), each list run in order.</summary>
public sealed class Hooks
{
    /// <summary>Deprecated by the spec in favour of createRuntime, createContainer and startContainer; runc still runs it.</summary>
    [JsonPropertyName("prestart")]
    public List<Hook>? Prestart { get; set; }

    /// <summary>Runtime namespace, after the container's namespaces exist and before pivot_root.</summary>
    [JsonPropertyName("createRuntime")]
    public List<Hook>? CreateRuntime { get; set; }

    /// <summary>Container namespace, after createRuntime and before pivot_root.</summary>
    [JsonPropertyName("createContainer")]
    public List<Hook>? CreateContainer { get; set; }

    /// <summary>Container namespace, on start, before the user process is executed.</summary>
    [JsonPropertyName("startContainer")]
    public List<Hook>? StartContainer { get; set; }

    /// <summary>Runtime namespace, after the user process has started.</summary>
    [JsonPropertyName("poststart")]
    public List<Hook>? Poststart { get; set; }

    /// <summary>Runtime namespace, after the container is deleted.</summary>
    [JsonPropertyName("poststop")]
    public List<Hook>? Poststop { get; set; }
}

/// <summary>One hook: an executable run with the <see cref="HookState"/> on its stdin.</summary>
public sealed class Hook
{
    /// <summary>Absolute path of the executable (execv semantics, no PATH lookup).</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary>argv, including argv[0].</summary>
    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("env")]
    public List<string>? Env { get; set; }

    /// <summary>Seconds before the hook is aborted; must be greater than zero when set.</summary>
    [JsonPropertyName("timeout")]
    public int? Timeout { get; set; }
}
