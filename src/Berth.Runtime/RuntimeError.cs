namespace Berth.Runtime;

/// <summary>The categories of failure a caller of the runtime can act on.</summary>
public enum ErrorKind
{
    /// <summary>Bad configuration or arguments: nothing was changed.</summary>
    InvalidArgument,
    NotFound,
    AlreadyExists,
    /// <summary>The container is not in a state that allows the operation.</summary>
    Conflict,
    /// <summary>The kernel or machine cannot do what was asked.</summary>
    Unsupported,
    Internal,
}

/// <summary>A failure of the runtime, with the context a user needs (the field, the container, the path).</summary>
public sealed class RuntimeError : Exception
{
    public RuntimeError(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public ErrorKind Kind { get; }

    public static RuntimeError Invalid(string message) => new(ErrorKind.InvalidArgument, message);

    public static RuntimeError ContainerNotFound(string id) => new(ErrorKind.NotFound, $"container \"{id}\" does not exist");

    public static RuntimeError Conflict(string message) => new(ErrorKind.Conflict, message);
}
