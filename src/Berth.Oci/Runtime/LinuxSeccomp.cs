using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>The seccomp filter (<c>linux.seccomp</c>); names are libseccomp's (<c>SCMP_ACT_*</c>, <c>SCMP_ARCH_*</c>, <c>SCMP_CMP_*</c>).</summary>
public sealed class LinuxSeccomp
{
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; set; } = "";

    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; set; }

    [JsonPropertyName("architectures")]
    public List<string>? Architectures { get; set; }

    /// <summary><c>SECCOMP_FILTER_FLAG_*</c> names.</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }

    /// <summary>Unix socket of the agent that receives the notify fd (SCMP_ACT_NOTIFY).</summary>
    [JsonPropertyName("listenerPath")]
    public string? ListenerPath { get; set; }

    [JsonPropertyName("listenerMetadata")]
    public string? ListenerMetadata { get; set; }

    [JsonPropertyName("syscalls")]
    public List<LinuxSyscall>? Syscalls { get; set; }
}

/// <summary>One rule: an action for the named syscalls, optionally only when the arguments match.</summary>
public sealed class LinuxSyscall
{
    /// <summary>Always written (Go has no omitempty here).</summary>
    [JsonPropertyName("names")]
    public List<string> Names { get; set; } = [];

    [JsonPropertyName("action")]
    public string Action { get; set; } = "";

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; set; }

    [JsonPropertyName("args")]
    public List<LinuxSeccompArg>? Args { get; set; }
}

/// <summary>A comparison of one syscall argument.</summary>
public sealed class LinuxSeccompArg
{
    [JsonPropertyName("index")]
    public uint Index { get; set; }

    [JsonPropertyName("value")]
    public ulong Value { get; set; }

    /// <summary>Second operand, used by <c>SCMP_CMP_MASKED_EQ</c>.</summary>
    [JsonPropertyName("valueTwo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ValueTwo { get; set; }

    [JsonPropertyName("op")]
    public string Op { get; set; } = "";
}
