namespace Berth.Engine.Execs;

/// <summary>One <c>docker exec</c>: its request, and its process once started.</summary>
public sealed class ExecRecord
{
    public string Id { get; set; } = "";

    public string ContainerId { get; set; } = "";

    public List<string> Cmd { get; set; } = [];

    public List<string>? Env { get; set; }

    public string User { get; set; } = "";

    public string WorkingDir { get; set; } = "";

    public bool Tty { get; set; }

    public bool Privileged { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    /// <summary>The detach sequence the exec was created with, parsed; empty for the default (as dockerd keeps it).</summary>
    public byte[] DetachKeys { get; set; } = [];

    public List<int>? ConsoleSize { get; set; }

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public int Pid { get; set; }

    public bool Started { get; set; }
}
