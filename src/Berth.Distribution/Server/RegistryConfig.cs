using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Distribution.Server;

/// <summary>
/// The registry's config file (JSON): what <c>berth registry serve</c>'s flags set, and the rest. Flags given on the
/// command line win over the file; unknown keys are an error, so a typo does not silently change nothing.
/// <code>
/// { "addr": "0.0.0.0:5000", "root": "/srv/registry", "deleteEnabled": true, "gcInterval": "6h",
///   "uploadPurging": { "enabled": true, "age": "168h", "interval": "24h" },
///   "tls": { "cert": "/etc/registry/cert.pem", "key": "/etc/registry/key.pem" },
///   "auth": { "type": "token", "htpasswd": "/etc/registry/htpasswd", "tokenAcl": "/etc/registry/acl" } }
/// </code>
/// </summary>
public sealed record RegistryConfig
{
    public string? Addr { get; init; }
    public string? Root { get; init; }
    public bool? ReadOnly { get; init; }
    public bool? DeleteEnabled { get; init; }
    public bool? AccessLog { get; init; }
    public string? GcInterval { get; init; }
    public TlsSection? Tls { get; init; }
    public AuthSection? Auth { get; init; }
    public ProxySection? Proxy { get; init; }
    public UploadPurgingSection? UploadPurging { get; init; }

    /// <summary>
    /// distribution's storage.maintenance.uploadpurging: uploads untouched for <see cref="Age"/> (168h) are removed at
    /// start and every <see cref="Interval"/> (24h); on unless disabled.
    /// </summary>
    public sealed record UploadPurgingSection
    {
        public bool? Enabled { get; init; }
        public string? Age { get; init; }
        public string? Interval { get; init; }
    }

    /// <summary>A pull-through cache of <see cref="RemoteUrl"/>.</summary>
    public sealed record ProxySection
    {
        public string? RemoteUrl { get; init; }
        public string? Username { get; init; }
        public string? Password { get; init; }
    }

    public sealed record TlsSection
    {
        public string? Cert { get; init; }
        public string? Key { get; init; }
    }

    public sealed record AuthSection
    {
        /// <summary>none, htpasswd or token.</summary>
        public string? Type { get; init; }
        public string? Htpasswd { get; init; }
        public string? TokenAcl { get; init; }
        public string? TokenRealm { get; init; }
        public string? TokenService { get; init; }
        public string? TokenKey { get; init; }
    }

    /// <exception cref="FormatException">The file is not valid JSON of this shape; the message names the file and the place.</exception>
    public static RegistryConfig Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), RegistryConfigJson.Default.RegistryConfig)
                ?? throw new FormatException($"{path}: the config is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(RegistryConfig))]
internal sealed partial class RegistryConfigJson : JsonSerializerContext;
