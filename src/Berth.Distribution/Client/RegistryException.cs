namespace Berth.Distribution.Client;

/// <summary>What went wrong talking to a registry, in the classes the engine answers differently.</summary>
public enum RegistryErrorKind
{
    /// <summary>The repository, tag, manifest or blob does not exist (or is not visible to these credentials).</summary>
    NotFound,

    /// <summary>No or wrong credentials (401 after authenticating).</summary>
    Unauthorized,

    /// <summary>Authenticated but not allowed (403, DENIED).</summary>
    Denied,

    /// <summary>Content that does not match its digest or size, or a document that cannot be read.</summary>
    DataLoss,

    /// <summary>Something the client cannot use: schema 1, no manifest for the platform, a bad reference.</summary>
    Invalid,

    /// <summary>The registry could not be reached or answered with a server error.</summary>
    Unavailable,
}

/// <summary>An error of a registry operation, with the text Docker shows for the same case.</summary>
public sealed class RegistryException(RegistryErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public RegistryErrorKind Kind { get; } = kind;

    /// <summary>The registry's error code (MANIFEST_UNKNOWN, NAME_UNKNOWN, ...), when it sent one.</summary>
    public string? Code { get; init; }
}
