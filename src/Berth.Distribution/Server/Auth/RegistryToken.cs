using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// The bearer tokens of Docker's token flow: JWTs signed with ES256 whose <c>access</c> claim lists what the holder may
/// do (<c>[{"type":"repository","name":"x","actions":["pull","push"]}]</c>), for one audience (the registry's service).
/// </summary>
public static class RegistryToken
{
    public sealed record Claims(string Issuer, string Subject, string Audience, DateTimeOffset Expires, IReadOnlyList<RegistryAccess> Access);

    /// <summary>A signed token for <paramref name="claims"/>.</summary>
    public static string Sign(Claims claims, ECDsa key, string keyId)
    {
        string header = Base64Url(Json(w =>
        {
            w.WriteString("typ", "JWT");
            w.WriteString("alg", "ES256");
            w.WriteString("kid", keyId);
        }));
        var now = DateTimeOffset.UtcNow;
        string payload = Base64Url(Json(w =>
        {
            w.WriteString("iss", claims.Issuer);
            w.WriteString("sub", claims.Subject);
            w.WriteString("aud", claims.Audience);
            w.WriteNumber("exp", claims.Expires.ToUnixTimeSeconds());
            w.WriteNumber("nbf", now.AddSeconds(-10).ToUnixTimeSeconds());
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("jti", Guid.NewGuid().ToString("N"));
            w.WriteStartArray("access");
            foreach (var access in claims.Access)
            {
                w.WriteStartObject();
                w.WriteString("type", access.Type);
                w.WriteString("name", access.Name);
                w.WriteStartArray("actions");
                foreach (string action in access.Actions)
                    w.WriteStringValue(action);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        string signed = header + "." + payload;
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signed + "." + Base64Url(signature);
    }

    /// <summary>The claims of a token signed by <paramref name="key"/> and valid now, or null with the reason.</summary>
    public static Claims? Verify(string token, ECDsa key, out string? error)
    {
        error = null;
        string[] parts = token.Split('.');
        if (parts.Length != 3)
            return Fail("not a JWT", out error);
        try
        {
            using (var header = JsonDocument.Parse(FromBase64Url(parts[0])))
            {
                if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "ES256")
                    return Fail("the token is not signed with ES256", out error);
            }
            if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                return Fail("invalid token signature", out error);
            using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
            var root = payload.RootElement;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (root.TryGetProperty("exp", out var exp) && exp.GetInt64() < now)
                return Fail("the token has expired", out error);
            if (root.TryGetProperty("nbf", out var nbf) && nbf.GetInt64() > now + 10)
                return Fail("the token is not valid yet", out error);
            var access = new List<RegistryAccess>();
            if (root.TryGetProperty("access", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    access.Add(new RegistryAccess(item.GetProperty("type").GetString() ?? "", item.GetProperty("name").GetString() ?? "",
                        [.. item.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "")]));
                }
            }
            return new Claims(String(root, "iss"), String(root, "sub"), String(root, "aud"), DateTimeOffset.FromUnixTimeSeconds(exp.ValueKind == JsonValueKind.Number ? exp.GetInt64() : now), access);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or CryptographicException)
        {
            return Fail("malformed token", out error);
        }
    }

    static string String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    static Claims? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }

    static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Base64Url(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("invalid base64url") };
        return Convert.FromBase64String(padded);
    }
}
