using System.Net;
using System.Net.Http.Headers;
using Berth.Oci;

namespace Berth.Distribution.Client;

/// <summary>
/// One repository of one registry, as a pull or a push talks to it: every request carries the authorization
/// won from the registry's challenge (Basic, or a bearer token for <see cref="Scopes"/>); a 401 on the way
/// (a token expired, a scope missing) is answered once more and the request repeated.
/// </summary>
public sealed partial class RepositorySession
{
    readonly HttpClient _http;
    readonly RegistryAuthenticator _authenticator;
    readonly SemaphoreSlim _authLock = new(1, 1);
    AuthenticationHeaderValue? _authorization;

    internal RepositorySession(HttpClient http, Uri endpoint, string domain, string repository, RegistryCredentials credentials, IReadOnlyList<string> scopes)
    {
        _http = http;
        _authenticator = new RegistryAuthenticator(http, credentials);
        Endpoint = endpoint;
        Domain = domain;
        Repository = repository;
        Credentials = credentials;
        Scopes = scopes;
    }

    /// <summary>The registry's base URL (scheme, host, port; a mirror's may have a path).</summary>
    public Uri Endpoint { get; }

    /// <summary>The registry as references name it (docker.io, 127.0.0.1:5000).</summary>
    public string Domain { get; }

    /// <summary>The repository's path in the registry (library/busybox).</summary>
    public string Repository { get; }

    public RegistryCredentials Credentials { get; }

    /// <summary>Token scopes asked for: <c>repository:&lt;path&gt;:pull</c> (and <c>,push</c> for a push; a mount's source).</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>
    /// <c>GET /v2/</c> without credentials: reachable, and if it answers 401, the challenge is answered now,
    /// so that wrong credentials fail here with "unauthorized" rather than halfway through.
    /// </summary>
    /// <param name="login">For docker login: a registry that asks for credentials and gets none (or none it takes) refuses.</param>
    public async Task PingAsync(CancellationToken ct, bool login = false)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("v2/")), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await AnswerChallengeAsync(response, ct).ConfigureAwait(false);
            if (_authorization is null && login)
                throw new RegistryException(RegistryErrorKind.Unauthorized, "unauthorized: authentication required") { Code = "UNAUTHORIZED" };
            if (_authorization is null)
                return; // anonymous: the repository's own requests tell whether that is allowed
            using var again = await SendRawAsync(() => Authorized(new HttpRequestMessage(HttpMethod.Get, Url("v2/"))), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            // With a bearer token for repository scopes, /v2/ may still say 401 on some registries; only Basic is checked here.
            if (again.StatusCode == HttpStatusCode.Unauthorized && _authorization.Scheme == "Basic")
                throw new RegistryException(RegistryErrorKind.Unauthorized, "unauthorized: incorrect username or password") { Code = "UNAUTHORIZED" };
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.FromResponseAsync(response, "ping", ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request made by <paramref name="make"/> (called again for a retry) with the authorization, answering
    /// one 401 by authenticating again. The response is the caller's, whatever its status.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseHeadersRead)
    {
        var response = await SendRawAsync(() => Authorized(make()), completion, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;
        using (response)
            await AnswerChallengeAsync(response, ct).ConfigureAwait(false);
        return await SendRawAsync(() => Authorized(make()), completion, ct).ConfigureAwait(false);
    }

    /// <summary>A URL under the registry's base (<paramref name="relative"/> without a leading slash).</summary>
    internal Uri Url(string relative) => new(Endpoint, relative);

    /// <summary>A URL under this repository's part of the API: v2/&lt;name&gt;/&lt;relative&gt;.</summary>
    internal Uri RepoUrl(string relative) => Url($"v2/{Repository}/{relative}");

    HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (_authorization is { } auth)
            request.Headers.Authorization = auth;
        return request;
    }

    async Task AnswerChallengeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var challenges = AuthChallenge.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        await _authLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var challenge in challenges)
            {
                if (await _authenticator.AuthorizeAsync(challenge, Scopes, ct).ConfigureAwait(false) is { } header)
                {
                    _authorization = header;
                    return;
                }
            }
        }
        finally
        {
            _authLock.Release();
        }
    }

    async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> make, HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = make();
        try
        {
            return await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            string reason = e.HttpRequestError == HttpRequestError.SecureConnectionError && PlainHttpEndpoints.AnsweredWithHttp(request.RequestUri)
                ? PlainHttpEndpoints.Message
                : e.Message;
            throw new RegistryException(RegistryErrorKind.Unavailable, $"{request.Method} \"{request.RequestUri}\": {reason}", e);
        }
    }

    /// <summary>The error of a failed response, worded for <paramref name="what"/>.</summary>
    internal static Task<RegistryException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken ct)
        => RegistryErrors.FromResponseAsync(response, what, ct);

    internal static Digest? DigestHeader(HttpResponseMessage response)
        => response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;
}
