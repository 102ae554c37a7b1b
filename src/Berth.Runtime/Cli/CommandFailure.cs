namespace Berth.Runtime.Cli;

/// <summary>
/// A failure that ends the command with an exit status of its own instead of 1. runc's `exec`
/// exits 255 when it could not run the process at all, so that a caller can tell that apart from
/// the process's own (usually small) exit status; crun does the same for a missing program.
/// </summary>
internal sealed class CommandFailure(int exitStatus, string message, Exception inner) : Exception(message, inner)
{
    public int ExitStatus { get; } = exitStatus;
}
