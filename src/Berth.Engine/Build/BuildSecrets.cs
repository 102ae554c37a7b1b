using System.Security.Cryptography;

namespace Berth.Engine.Build;

/// <summary>
/// The secrets <c>berth build --secret</c> sends ahead of its build (Berth's own <c>POST /berth/build/secrets</c>: the
/// legacy build API has no place for them, and the context tar must never carry them). Held in memory only, under a
/// random session that the build names; the build takes them once, and what no build took within
/// <see cref="Lifetime"/> is dropped. Their bytes are zeroed when dropped or when the build is done with them.
/// </summary>
public sealed class BuildSecrets(TimeProvider time)
{
    /// <summary>buildkit's MaxSecretSize: 500 KiB a secret.</summary>
    public const int MaxSecretSize = 500 * 1024;

    /// <summary>More than a build could sensibly need; keeps one request's memory bounded.</summary>
    public const int MaxSecrets = 64;

    /// <summary>From the client's upload to its build's start: the context is sent in between.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    readonly Dictionary<string, (IReadOnlyDictionary<string, byte[]> Secrets, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    public BuildSecrets()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Keeps the secrets (checked by the caller against the limits) and returns their session.</summary>
    public string Add(IReadOnlyDictionary<string, byte[]> secrets)
    {
        string session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        lock (_sessions)
        {
            DropExpired(now);
            _sessions[session] = (secrets, now + Lifetime);
        }
        return session;
    }

    // Under the lock: what no build took in time is zeroed and forgotten.
    void DropExpired(DateTimeOffset now)
    {
        foreach (var (key, (old, expires)) in _sessions.ToList())
        {
            if (expires <= now)
            {
                _sessions.Remove(key);
                Clear(old);
            }
        }
    }

    /// <summary>The session's secrets, which it no longer holds; null when unknown or expired.</summary>
    public IReadOnlyDictionary<string, byte[]>? Take(string session)
    {
        lock (_sessions)
        {
            DropExpired(time.GetUtcNow());
            return _sessions.Remove(session, out var entry) ? entry.Secrets : null;
        }
    }

    /// <summary>Zeroes the secrets' bytes (the managed heap may have copies from the request's parsing; this is the one the build held).</summary>
    public static void Clear(IReadOnlyDictionary<string, byte[]> secrets)
    {
        foreach (byte[] bytes in secrets.Values)
            CryptographicOperations.ZeroMemory(bytes);
    }
}
