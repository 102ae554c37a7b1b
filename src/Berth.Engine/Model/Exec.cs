using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>The body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed class ExecCreateRequest
{
    public string User { get; set; } = "";

    public bool Privileged { get; set; }

    public bool Tty { get; set; }

    /// <summary>Go's <c>*[2]uint</c>: <c>[height, width]</c> or null.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    [JsonConverter(typeof(ConsoleSizeConverter))]
    public uint[]? ConsoleSize { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStderr { get; set; }

    public bool AttachStdout { get; set; }

    /// <summary>Unused by the daemon; Docker 28.2's client sends it here (28.3 moved it last).</summary>
    public bool Detach { get; set; }

    /// <summary>Detach sequence (<c>ctrl-p,ctrl-q</c>).</summary>
    public string DetachKeys { get; set; } = "";

    public List<string>? Env { get; set; }

    public string WorkingDir { get; set; } = "";

    public List<string>? Cmd { get; set; }

}

/// <summary>The body of <c>POST /exec/{id}/start</c>.</summary>
public sealed class ExecStartRequest
{
    public bool Detach { get; set; }

    public bool Tty { get; set; }

    /// <summary>Initial terminal size <c>[height, width]</c>, only with <see cref="Tty"/>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    [JsonConverter(typeof(ConsoleSizeConverter))]
    public uint[]? ConsoleSize { get; set; }
}

/// <summary><c>GET /exec/{id}/json</c>.</summary>
public sealed class ExecInspect
{
    public string ID { get; set; } = "";

    public bool Running { get; set; }

    /// <summary>Null until the process has exited.</summary>
    public int? ExitCode { get; set; }

    public ExecProcessConfig? ProcessConfig { get; set; }

    public bool OpenStdin { get; set; }

    public bool OpenStderr { get; set; }

    public bool OpenStdout { get; set; }

    public bool CanRemove { get; set; }

    public string ContainerID { get; set; } = "";

    /// <summary>The parsed detach sequence as bytes (Go's <c>[]byte</c>: base64 in JSON, <c>""</c> when empty).</summary>
    public byte[]? DetachKeys { get; set; }

    public int Pid { get; set; }
}

/// <summary>The exec'd process (lowercase names, as Docker writes them).</summary>
public sealed class ExecProcessConfig
{
    [JsonPropertyName("tty")]
    public bool Tty { get; set; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; set; } = "";

    [JsonPropertyName("arguments")]
    public List<string>? Arguments { get; set; }

    [JsonPropertyName("privileged")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool? Privileged { get; set; }

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? User { get; set; }
}
