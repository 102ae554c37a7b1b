namespace Berth.Distribution.Client;

/// <summary>
/// Credentials for one registry as docker sends them (X-Registry-Auth, /auth): a user name and password, or an
/// identity token (an OAuth refresh token from an earlier login), or a registry token used as the bearer as is.
/// </summary>
public sealed record RegistryCredentials(string? Username = null, string? Password = null, string? IdentityToken = null, string? RegistryToken = null)
{
    public static readonly RegistryCredentials Anonymous = new();

    public bool HasBasic => !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password);

    public bool IsAnonymous => !HasBasic && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);

    /// <summary>The value of a Basic Authorization header.</summary>
    public string BasicValue => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));
}
