namespace Berth.Build.Context;

/// <summary>
/// A build context that cannot be read, packed or used, or a COPY/ADD that cannot be done: the message is Docker's
/// for the same fault. <see cref="IsUserError"/> is false for faults of the machine (I/O, permissions of the daemon).
/// </summary>
public sealed class BuildContextException(string message, Exception? inner = null, bool isUserError = true) : Exception(message, inner)
{
    public bool IsUserError { get; } = isUserError;
}
