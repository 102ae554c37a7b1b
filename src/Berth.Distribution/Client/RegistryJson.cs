using System.Text.Json.Serialization;

namespace Berth.Distribution.Client;

/// <summary>A token endpoint's answer (Docker's token spec: <c>token</c>, or OAuth's <c>access_token</c>).</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }
}

/// <summary>The distribution spec's error body: <c>{"errors":[{"code":..,"message":..,"detail":..}]}</c>.</summary>
internal sealed class ErrorBody
{
    [JsonPropertyName("errors")]
    public List<ErrorEntry>? Errors { get; set; }
}

internal sealed class ErrorEntry
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>Docker's AuthConfig, as the X-Registry-Auth header and POST /auth carry it.</summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    /// <summary>base64 of "user:password", as config.json stores it.</summary>
    [JsonPropertyName("auth")]
    public string? Auth { get; set; }

    [JsonPropertyName("serveraddress")]
    public string? ServerAddress { get; set; }

    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; set; }

    [JsonPropertyName("registrytoken")]
    public string? RegistryToken { get; set; }

    [JsonPropertyName("email")]
    public string? Email { get; set; }
}

/// <summary>The tags list of a repository (<c>GET /v2/&lt;name&gt;/tags/list</c>).</summary>
internal sealed class TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tags")]
    public List<string>? Tags { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(Dictionary<string, AuthConfig>))]
[JsonSerializable(typeof(TagList))]
internal sealed partial class RegistryJson : JsonSerializerContext;
