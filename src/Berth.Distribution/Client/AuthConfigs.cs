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
            string text = header.Trim().Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            return FromJson(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return RegistryCredentials.Anonymous;
        }
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
