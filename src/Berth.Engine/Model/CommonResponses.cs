using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>Every error answer of the API: <c>{"message": "..."}</c>.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}

/// <summary>An answer that is just an ID (exec create, commit).</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}

/// <summary>Registry credentials: the body of <c>POST /auth</c> and, base64url-encoded, the <c>X-Registry-Auth</c> header.</summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Password { get; set; }

    /// <summary>base64 of <c>username:password</c>.</summary>
    [JsonPropertyName("auth")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Auth { get; set; }

    /// <summary>Deprecated.</summary>
    [JsonPropertyName("email")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Email { get; set; }

    [JsonPropertyName("serveraddress")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? ServerAddress { get; set; }

    [JsonPropertyName("identitytoken")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? IdentityToken { get; set; }

    [JsonPropertyName("registrytoken")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? RegistryToken { get; set; }
}

/// <summary><c>POST /auth</c>: <see cref="Status"/> <c>Login Succeeded</c> and perhaps a token to use instead of the password.</summary>
public sealed class AuthResponse
{
    public string IdentityToken { get; set; } = "";

    public string Status { get; set; } = "";
}
