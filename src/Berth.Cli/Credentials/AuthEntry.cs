using System.Text;

namespace Berth.Cli.Credentials;

/// <summary>
/// docker's AuthConfig: what a credential store gives for one registry and what the daemon is sent
/// (X-Registry-Auth, X-Registry-Config, the body of POST /auth). Empty strings stand for absent fields, as in Go; a
/// record, so that equality is docker's struct comparison (the file store skips a write when nothing changed).
/// </summary>
internal sealed record AuthEntry
{
    public string Username { get; init; } = "";

    public string Password { get; init; } = "";

    /// <summary>base64("user:password") as config.json keeps it; empty once the file is read (docker decodes it then).</summary>
    public string Auth { get; init; } = "";

    public string Email { get; init; } = "";

    /// <summary>The key the entry was found under (a file entry's key, the address a helper was asked for).</summary>
    public string ServerAddress { get; init; } = "";

    /// <summary>An OAuth refresh token the registry's token server gave at login, kept instead of the password.</summary>
    public string IdentityToken { get; init; } = "";

    public string RegistryToken { get; init; } = "";

    /// <summary>The fields in the order and with the names of Go's AuthConfig, each omitted when empty.</summary>
    public IEnumerable<(string Name, string Value)> Fields() =>
    [
        ("username", Username), ("password", Password), ("auth", Auth), ("email", Email),
        ("serveraddress", ServerAddress), ("identitytoken", IdentityToken), ("registrytoken", RegistryToken),
    ];

    public string ToJson() => GoJsonText.Object(Fields(), omitEmpty: true);

    /// <summary>The X-Registry-Auth value: base64url (with padding, Go's URLEncoding) of the JSON.</summary>
    public string ToHeader() => Base64Url(ToJson());

    public static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
}
