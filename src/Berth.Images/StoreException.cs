namespace Berth.Images;

/// <summary>What a caller can do about a failure of the image store; maps one-to-one to HTTP status codes above.</summary>
public enum StoreErrorKind
{
    /// <summary>400: the input is wrong (bad reference, bad archive, bad change).</summary>
    InvalidArgument,
    /// <summary>404.</summary>
    NotFound,
    /// <summary>409: exists already, or in use (an image used by a container, a tag on several images).</summary>
    Conflict,
    /// <summary>The data on disk or received does not match its digest or is truncated: nothing was stored.</summary>
    DataLoss,
    /// <summary>500: a fault of the machine or of Berth.</summary>
    Internal,
}

/// <summary>A failure of the image store, with the context a user needs (the digest, the path, the reference).</summary>
public sealed class StoreException(StoreErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public StoreErrorKind Kind { get; } = kind;

    public static StoreException NotFound(string message) => new(StoreErrorKind.NotFound, message);

    public static StoreException Invalid(string message) => new(StoreErrorKind.InvalidArgument, message);

    public static StoreException Conflict(string message) => new(StoreErrorKind.Conflict, message);
}
