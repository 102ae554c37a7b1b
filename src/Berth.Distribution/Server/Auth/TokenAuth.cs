using System.Security.Cryptography;
using Berth.Http;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// Docker's token flow, both sides in one registry: requests without a token covering what they need get 401 with
/// <c>WWW-Authenticate: Bearer realm,service,scope</c>; the realm (<see cref="IssueAsync"/>, served at <c>/token</c>)
/// checks the client's htpasswd credentials, grants what the <see cref="TokenAcl"/> allows of the scopes asked for,
/// and signs a short-lived ES256 JWT that the registry then verifies.
/// </summary>
public sealed class TokenAuth(string realm, string service, Htpasswd? users, TokenAcl acl, ECDsa key) : IRegistryAuth
{
    const string Issuer = "berth-registry";
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    readonly string _keyId = RegistryToken.Base64Url(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public string Realm { get; } = realm;

    public string Service { get; } = service;

    public RegistryRefusal? Check(HttpRequest request, RegistryAccess? access)
    {
        string? authorization = request.Headers["Authorization"];
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Challenge(access, insufficient: false);
        var claims = RegistryToken.Verify(authorization[7..].Trim(), key, out _);
        if (claims is null || claims.Issuer != Issuer || claims.Audience != Service)
            return Challenge(access, insufficient: false);
        if (access is null || Covers(claims, access))
            return null;
        return Challenge(access, insufficient: true);
    }

    static bool Covers(RegistryToken.Claims claims, RegistryAccess needed) =>
        needed.Actions.All(action => claims.Access.Any(a => a.Type == needed.Type && a.Name == needed.Name && (a.Actions.Contains(action) || a.Actions.Contains("*"))));

    RegistryRefusal Challenge(RegistryAccess? access, bool insufficient)
    {
        string challenge = $"Bearer realm=\"{Realm}\",service=\"{Service}\"";
        if (access is not null)
            challenge += $",scope=\"{access.Scope}\"";
        if (insufficient)
            challenge += ",error=\"insufficient_scope\"";
        return new RegistryRefusal(new RegistryException(insufficient ? RegistryErrorCode.Denied with { Status = 401 } : RegistryErrorCode.Unauthorized),
            [new("WWW-Authenticate", challenge)]);
    }

    /// <summary>
    /// The token endpoint (GET, as Docker's clients ask it): <c>service</c>, any number of <c>scope</c>s, Basic
    /// credentials when the client has them. Wrong credentials are 401; scopes not granted are left out of the token.
    /// </summary>
    public async Task IssueAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? account = null;
        if (context.Request.Headers["Authorization"] is { } authorization)
        {
            if (Htpasswd.BasicCredentials(authorization) is not { } credentials || users is null || !users.Verify(credentials.User, credentials.Password))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":\"invalid username or password\"}]}\n"u8.ToArray(), "application/json", context.Aborted).ConfigureAwait(false);
                return;
            }
            account = credentials.User;
        }
        if (query.Get("service") is { } asked && asked != Service)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($"{{\"errors\":[{{\"code\":\"DENIED\",\"message\":\"unknown service {asked}\"}}]}}\n", "application/json").ConfigureAwait(false);
            return;
        }
        var granted = new List<RegistryAccess>();
        foreach (string scopes in query.GetAll("scope"))
        {
            foreach (string scope in scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (ParseScope(scope) is { } requested && acl.Grant(account, requested) is { } grant)
                    granted.Add(grant);
            }
        }
        var issued = DateTimeOffset.UtcNow;
        string token = RegistryToken.Sign(new RegistryToken.Claims(Issuer, account ?? "", Service, issued + Lifetime, granted), key, _keyId);
        string body = $"{{\"token\":\"{token}\",\"access_token\":\"{token}\",\"expires_in\":{(int)Lifetime.TotalSeconds},\"issued_at\":\"{issued:yyyy-MM-ddTHH:mm:ssZ}\"}}\n";
        await context.Response.WriteAsync(body, "application/json").ConfigureAwait(false);
    }

    /// <summary><c>type:name:actions</c>, the name possibly holding colons (a type may carry a class: <c>repository(plugin)</c>).</summary>
    internal static RegistryAccess? ParseScope(string scope)
    {
        int first = scope.IndexOf(':');
        int last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first)
            return null;
        string type = scope[..first];
        int paren = type.IndexOf('(');
        if (paren > 0)
            type = type[..paren];
        return new RegistryAccess(type, scope[(first + 1)..last], scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
