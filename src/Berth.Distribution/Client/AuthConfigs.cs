using System.Text;
using System.Text.Json;

namespace Berth.Distribution.Client;

/// <summary>Docker's AuthConfig in and out: the X-Registry-Auth header (base64url JSON) and the /auth body.</summary>
public static class AuthConfigs
{
    /// <summary>The credentials of an X-Registry-Auth header; anonymous when absent, empty or unreadable (as dockerd).</summary>
    public static RegistryCredentials FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return RegistryCredentials.Anonymous;
        try
        {
            return FromJson(Base64Url(header));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return RegistryCredentials.Anonymous;
        }
    }

    /// <summary>
    /// The credentials of an X-Registry-Config header (a build's: base64url JSON of registry address to AuthConfig, as
    /// the client's config.json names registries); none when absent or unreadable (as dockerd).
    /// </summary>
    public static IReadOnlyDictionary<string, RegistryCredentials> MapFromHeader(string? header)
    {
        var result = new Dictionary<string, RegistryCredentials>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header))
            return result;
        try
        {
            var map = JsonSerializer.Deserialize(Base64Url(header), RegistryJson.Default.DictionaryStringAuthConfig) ?? [];
            foreach (var (address, config) in map)
                result[address] = ToCredentials(config);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            result.Clear();
        }
        return result;
    }

    /// <summary>
    /// The entry of <paramref name="map"/> for the registry <paramref name="domain"/> (docker.io for Docker Hub):
    /// keys may be written with a scheme and a path ("https://index.docker.io/v1/"), as dockerd's ResolveAuthConfig
    /// takes them; anonymous when none matches.
    /// </summary>
    public static RegistryCredentials Find(IReadOnlyDictionary<string, RegistryCredentials> map, string domain)
    {
        static string Host(string address)
        {
            string host = address;
            int scheme = host.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
                host = host[(scheme + 3)..];
            int slash = host.IndexOf('/');
            if (slash >= 0)
                host = host[..slash];
            return host is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : host;
        }
        string wanted = Host(domain);
        foreach (var (address, credentials) in map)
        {
            if (string.Equals(Host(address), wanted, StringComparison.OrdinalIgnoreCase))
                return credentials;
        }
        return RegistryCredentials.Anonymous;
    }

    static byte[] Base64Url(string header)
    {
        string text = header.Trim().Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        return Convert.FromBase64String(text);
    }

    /// <summary>The credentials of a JSON AuthConfig (an <c>auth</c> field stands for user and password).</summary>
    public static RegistryCredentials FromJson(ReadOnlySpan<byte> json) => ToCredentials(Read(json));

    public static AuthConfig Read(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, RegistryJson.Default.AuthConfig) ?? new AuthConfig();

    public static RegistryCredentials ToCredentials(AuthConfig config)
    {
        string? user = config.Username, password = config.Password;
        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(config.Auth))
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(config.Auth));
            int colon = pair.IndexOf(':');
            if (colon > 0)
                (user, password) = (pair[..colon], pair[(colon + 1)..]);
        }
        return new RegistryCredentials(NullIfEmpty(user), NullIfEmpty(password), NullIfEmpty(config.IdentityToken), NullIfEmpty(config.RegistryToken));
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
