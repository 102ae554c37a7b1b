using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestSupport;

/// <summary>
/// A token server of Docker's token flow for <see cref="DistributionRegistry"/> in token mode: on 127.0.0.1 and a
/// free port, it answers <c>GET /token?service=&amp;scope=</c> (Basic credentials of its users) with a JWT signed
/// RS256 by a key whose self-signed certificate the registry trusts (x5c header), granting each user the actions
/// its grant allows and no more (anonymous: nothing; wrong password: 401). As Docker Hub's, it gives a refresh token to
/// a user who asks with <c>offline_token=true</c> (what dockerd's login does; the daemon hands it to the client as an
/// identity token) and takes it back in <c>POST /token</c> (<c>grant_type=refresh_token</c>) for the same grants.
/// Dispose stops it.
/// </summary>
public sealed class RegistryTokenIssuer : IDisposable
{
    public const string Service = "berth-test-registry";
    public const string Issuer = "berth-test-issuer";

    readonly HttpListener _listener = new();
    readonly RSA _key = RSA.Create(2048);
    readonly X509Certificate2 _certificate;
    readonly Dictionary<string, (string Password, string[] Actions)> _users;
    readonly Task _loop;

    /// <param name="users">user -> (password, the actions it may have on every repository: "pull", "push").</param>
    public RegistryTokenIssuer(Dictionary<string, (string Password, string[] Actions)> users)
    {
        _users = users;
        var request = new CertificateRequest("CN=berth-test-token", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Prefixes.Clear();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>The certificate the registry's <c>rootcertbundle</c> holds, as PEM.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>Every scope asked for, in order ("repository:x:pull,push"), for tests to check what the client asked.</summary>
    public List<string> Requested { get; } = [];

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Answer(context);
            }
            catch (Exception e)
            {
                context.Response.StatusCode = 500;
                context.Response.OutputStream.Write(Encoding.UTF8.GetBytes(e.Message));
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    /// <summary>The refresh token a user gets: one per user, so that what two clients keep of it can be compared.</summary>
    public static string RefreshTokenOf(string user) => "berth-test-refresh-" + user;

    void Answer(HttpListenerContext context)
    {
        if (context.Request.HttpMethod == "POST")
        {
            AnswerRefresh(context);
            return;
        }
        string? user = null;
        string? header = context.Request.Headers["Authorization"];
        if (header is not null && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
            int colon = pair.IndexOf(':');
            user = pair[..colon];
            if (!_users.TryGetValue(user, out var known) || known.Password != pair[(colon + 1)..])
            {
                context.Response.StatusCode = 401;
                context.Response.OutputStream.Write("{\"details\":\"incorrect username or password\"}"u8);
                return;
            }
        }
        bool offline = context.Request.QueryString["offline_token"] == "true" && user is not null;
        Grant(context, user, context.Request.QueryString.GetValues("scope") ?? [], offline ? RefreshTokenOf(user!) : null);
    }

    /// <summary>The OAuth2 form (grant_type=refresh_token, refresh_token, scope): a token for the refresh token's user.</summary>
    void AnswerRefresh(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var form = System.Web.HttpUtility.ParseQueryString(reader.ReadToEnd());
        string? user = _users.Keys.FirstOrDefault(u => form["grant_type"] == "refresh_token" && form["refresh_token"] == RefreshTokenOf(u));
        if (user is null)
        {
            context.Response.StatusCode = 401;
            context.Response.OutputStream.Write("{\"details\":\"invalid refresh token\"}"u8);
            return;
        }
        Grant(context, user, form["scope"] is { Length: > 0 } scope ? [scope] : [], null);
    }

    void Grant(HttpListenerContext context, string? user, string[] scopes, string? refreshToken)
    {
        var access = new JsonArray();
        lock (Requested)
            Requested.AddRange(scopes);
        foreach (string scope in scopes.SelectMany(s => s.Split(' ')))
        {
            var parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository" || user is null)
                continue;
            var granted = parts[2].Split(',').Intersect(_users[user].Actions).ToArray();
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = parts[1], ["actions"] = new JsonArray([.. granted.Select(a => (JsonNode)a)]) });
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user ?? "",
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var head = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        string signed = Base64Url(Encoding.UTF8.GetBytes(head.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        string token = signed + "." + Base64Url(_key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        context.Response.ContentType = "application/json";
        // "token" for Docker's token flow, "access_token" for the OAuth2 one; both clients read either.
        var answer = new JsonObject { ["token"] = token, ["access_token"] = token, ["expires_in"] = 300 };
        if (refreshToken is not null)
            answer["refresh_token"] = refreshToken;
        context.Response.OutputStream.Write(Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _certificate.Dispose();
        _key.Dispose();
    }
}
