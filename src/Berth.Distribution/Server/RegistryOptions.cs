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

    /// <summary>The registry this one is a pull-through cache of (misses fetched from it, pushes refused); null for an ordinary registry.</summary>
    public Uri? ProxyRemote { get; init; }

    /// <summary>How the cache authenticates to <see cref="ProxyRemote"/>; anonymous when null.</summary>
    public Client.RegistryCredentials? ProxyCredentials { get; init; }

    /// <summary>One line per request (method, path, status, bytes, time), as an access log; null for none.</summary>
    public Action<string>? AccessLog { get; init; }
}
