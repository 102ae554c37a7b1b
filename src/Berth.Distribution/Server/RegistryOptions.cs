namespace Berth.Distribution.Server;

/// <summary>How a registry serves; the defaults are distribution's (writable, deletes off).</summary>
public sealed record RegistryOptions
{
    /// <summary>Refuses every write (UNSUPPORTED), as distribution's maintenance read-only mode.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Allows DELETE of manifests, tags and blobs (distribution's <c>storage.delete.enabled</c>).</summary>
    public bool DeleteEnabled { get; init; }

    /// <summary>Who may do what; null lets everyone do everything.</summary>
    public IRegistryAuth? Auth { get; init; }

    /// <summary>One line per request (method, path, status, bytes, time), as an access log; null for none.</summary>
    public Action<string>? AccessLog { get; init; }
}
