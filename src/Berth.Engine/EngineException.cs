namespace Berth.Engine;

/// <summary>What went wrong, in the classes the Docker API answers with distinct status codes.</summary>
public enum EngineErrorKind
{
    /// <summary>Bad input from the client (400).</summary>
    InvalidParameter,

    /// <summary>No such container, image, exec (404).</summary>
    NotFound,

    /// <summary>A name in use, a running container removed without force (409).</summary>
    Conflict,

    /// <summary>Not allowed in this state: a predefined network removed, a network with active endpoints (403).</summary>
    Forbidden,

    /// <summary>Nothing to do: a container already started or stopped (304).</summary>
    NotModified,

    /// <summary>Credentials refused by a registry (docker login: 401).</summary>
    Unauthorized,

    /// <summary>Not possible on this machine or in this state (501/500 by context).</summary>
    NotImplemented,

    /// <summary>A fault of the engine or the system (500).</summary>
    System,
}

/// <summary>An error of the engine, carrying the text Docker shows for the same case.</summary>
public sealed class EngineException(EngineErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public EngineErrorKind Kind { get; } = kind;

    public static EngineException NotFound(string message) => new(EngineErrorKind.NotFound, message);

    public static EngineException Invalid(string message) => new(EngineErrorKind.InvalidParameter, message);

    public static EngineException Conflict(string message) => new(EngineErrorKind.Conflict, message);

    public static EngineException Forbidden(string message) => new(EngineErrorKind.Forbidden, message);

    public static EngineException NotModified(string message) => new(EngineErrorKind.NotModified, message);

    public static EngineException System(string message, Exception? inner = null) => new(EngineErrorKind.System, message, inner);

    public static EngineException NoSuchContainer(string nameOrId) => NotFound($"No such container: {nameOrId}");
}
