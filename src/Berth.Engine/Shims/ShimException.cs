namespace Berth.Engine.Shims;

/// <summary>Why a request to a shim failed.</summary>
public enum ShimErrorKind
{
    /// <summary>The OCI runtime refused (create, start, kill, exec): the message is the runtime's.</summary>
    Runtime,

    /// <summary>No shim answers at the state directory: it has exited (the container is gone) or was killed.</summary>
    Gone,

    /// <summary>The shim answered something this client does not understand, or could not be started.</summary>
    Protocol,
}

/// <summary>A shim's failure, with the message Docker shows for it (for the runtime's errors, the runtime's own words).</summary>
public sealed class ShimException(ShimErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ShimErrorKind Kind { get; } = kind;
}
