using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>Capability sets of the process (<c>process.capabilities</c>), names like <c>CAP_KILL</c>.</summary>
public sealed class LinuxCapabilities
{
    [JsonPropertyName("bounding")]
    public List<string>? Bounding { get; set; }

    [JsonPropertyName("effective")]
    public List<string>? Effective { get; set; }

    [JsonPropertyName("inheritable")]
    public List<string>? Inheritable { get; set; }

    [JsonPropertyName("permitted")]
    public List<string>? Permitted { get; set; }

    [JsonPropertyName("ambient")]
    public List<string>? Ambient { get; set; }
}

/// <summary>One setrlimit(2) call (<c>process.rlimits[]</c>); <c>type</c> is a name like <c>RLIMIT_NOFILE</c>.</summary>
public sealed class Rlimit
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("hard")]
    public ulong Hard { get; set; }

    [JsonPropertyName("soft")]
    public ulong Soft { get; set; }
}

/// <summary>ioprio_set(2) of the process (<c>process.ioPriority</c>).</summary>
public sealed class IoPriority
{
    /// <summary><c>IOPRIO_CLASS_RT</c>, <c>IOPRIO_CLASS_BE</c> or <c>IOPRIO_CLASS_IDLE</c>.</summary>
    [JsonPropertyName("class")]
    public string Class { get; set; } = "";

    [JsonPropertyName("priority")]
    public int Priority { get; set; }
}

/// <summary>sched_setattr(2) of the process (<c>process.scheduler</c>).</summary>
public sealed class Scheduler
{
    /// <summary><c>SCHED_OTHER</c>, <c>SCHED_FIFO</c>, <c>SCHED_RR</c>, <c>SCHED_BATCH</c>, <c>SCHED_ISO</c>, <c>SCHED_IDLE</c> or <c>SCHED_DEADLINE</c>.</summary>
    [JsonPropertyName("policy")]
    public string Policy { get; set; } = "";

    [JsonPropertyName("nice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Nice { get; set; }

    [JsonPropertyName("priority")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Priority { get; set; }

    /// <summary><c>SCHED_FLAG_*</c> names.</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }

    /// <summary>SCHED_DEADLINE runtime, nanoseconds.</summary>
    [JsonPropertyName("runtime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Runtime { get; set; }

    [JsonPropertyName("deadline")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Deadline { get; set; }

    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Period { get; set; }
}

/// <summary>CPU affinity of an exec'd process (<c>process.execCPUAffinity</c>), in cpuset list format (<c>0-3,7</c>).</summary>
public sealed class CpuAffinity
{
    /// <summary>Affinity while the runtime sets the process up (before it joins the cgroup).</summary>
    [JsonPropertyName("initial")]
    public string? Initial { get; set; }

    /// <summary>Affinity after the process joined the container's cgroup.</summary>
    [JsonPropertyName("final")]
    public string? Final { get; set; }
}
