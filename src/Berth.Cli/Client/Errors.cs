namespace Berth.Cli.Client;

/// <summary>
/// An error answer of the daemon (status 400 and up). <see cref="Message"/> reads as docker prints it:
/// "Error response from daemon: No such container: x".
/// </summary>
internal sealed class DaemonException(int status, string message) : Exception("Error response from daemon: " + message)
{
    public int Status { get; } = status;

    /// <summary>The daemon's own text, without the prefix.</summary>
    public string DaemonMessage { get; } = message;

    public bool IsNotFound => Status == 404;

    public bool IsConflict => Status == 409;
}

/// <summary>The daemon could not be reached at all; docker's "Cannot connect to the Docker daemon" error.</summary>
internal sealed class DaemonUnreachableException : Exception
{
    public DaemonUnreachableException(DaemonEndpoint endpoint, System.Net.Sockets.SocketException cause)
        : base(cause.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied
            ? $"permission denied while trying to connect to the Berth daemon socket at {endpoint}: connect: permission denied"
            : $"Cannot connect to the Berth daemon at {endpoint}. Is the berth daemon running?", cause)
    {
    }

    public DaemonUnreachableException(string message)
        : base(message)
    {
    }
}

/// <summary>A failure the CLI reports itself, with the exit status to end with (docker's cli.StatusError).</summary>
internal sealed class CliException(string message, int status = 1) : Exception(message)
{
    public int Status { get; } = status;
}
