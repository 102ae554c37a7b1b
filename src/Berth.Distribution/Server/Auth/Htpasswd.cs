namespace Berth.Distribution.Server.Auth;

/// <summary>
/// An htpasswd file as distribution reads it: <c>user:hash</c> lines, bcrypt hashes only (<c>htpasswd -B</c>); other
/// lines are skipped, named in the error list, so a file made with MD5 or SHA-1 fails loudly rather than silently.
/// </summary>
public sealed class Htpasswd
{
    readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);

    Htpasswd(IReadOnlyList<string> skipped) => Skipped = skipped;

    /// <summary>Lines that are not <c>user:bcrypt-hash</c>, by number.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public static Htpasswd Load(string path)
    {
        var skipped = new List<string>();
        var lines = File.ReadAllLines(path);
        var file = new Htpasswd(skipped);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            int colon = line.IndexOf(':');
            string hash = colon > 0 ? line[(colon + 1)..] : "";
            if (!hash.StartsWith("$2", StringComparison.Ordinal))
            {
                skipped.Add($"{path}:{i + 1}: not a bcrypt entry (use htpasswd -B)");
                continue;
            }
            file._hashes[line[..colon]] = hash;
        }
        return file;
    }

    /// <summary>True when the user exists and the password matches its bcrypt hash.</summary>
    public bool Verify(string user, string password)
    {
        if (!_hashes.TryGetValue(user, out string? hash))
            return false;
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>The user and password of an <c>Authorization: Basic</c> header, or null.</summary>
    public static (string User, string Password)? BasicCredentials(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            string decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            int colon = decoded.IndexOf(':');
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
