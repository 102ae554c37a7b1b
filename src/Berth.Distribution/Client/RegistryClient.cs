using System.Net;

namespace Berth.Distribution.Client;

/// <summary>
/// The engine's way to registries: one pooled HTTP client (SocketsHttpHandler; redirects followed, as blob
/// downloads are often redirected to storage, without the Authorization header) and where each registry is
/// (<see cref="RegistryHosts"/>). It opens a <see cref="RepositorySession"/> per repository and operation.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    readonly HttpClient _http;
    readonly HttpClient _unverified;

    public RegistryClient(RegistryHosts hosts)
    {
        Hosts = hosts;
        _http = NewClient(verify: true);
        _unverified = NewClient(verify: false);
    }

    public RegistryHosts Hosts { get; }

    /// <summary>
    /// Sessions for <paramref name="repository"/> on each endpoint of <paramref name="domain"/>, in the order to try
    /// them: for a pull, Docker Hub's mirrors first; for a push, the registry's own (https, then http if insecure).
    /// </summary>
    public IReadOnlyList<RepositorySession> Sessions(string domain, string repository, RegistryCredentials credentials, bool push, IEnumerable<string>? alsoPullFrom = null)
    {
        var scopes = new List<string> { $"repository:{repository}:{(push ? "pull,push" : "pull")}" };
        scopes.AddRange((alsoPullFrom ?? []).Where(r => r != repository).Distinct().Select(r => $"repository:{r}:pull"));
        var endpoints = push ? Hosts.Own(domain) : Hosts.Endpoints(domain);
        return [.. endpoints.Select(e => new RepositorySession(ClientFor(domain, e), e, domain, repository, credentials, scopes))];
    }

    /// <summary>The first of <paramref name="sessions"/> whose registry answers <c>/v2/</c> (an unreachable or non-TLS endpoint: the next).</summary>
    public static async Task<RepositorySession> FirstReachableAsync(IReadOnlyList<RepositorySession> sessions, CancellationToken ct, bool login = false)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                await sessions[i].PingAsync(ct, login).ConfigureAwait(false);
                return sessions[i];
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.Unavailable && i < sessions.Count - 1)
            {
            }
        }
    }

    /// <summary>
    /// <c>docker login</c>: checks <paramref name="credentials"/> against the registry's <c>/v2/</c> (answering its
    /// challenge; a token endpoint that refuses them is "unauthorized"). Throws <see cref="RegistryException"/> if refused.
    /// </summary>
    public async Task LoginAsync(string domain, RegistryCredentials credentials, CancellationToken ct)
        => await FirstReachableAsync(Sessions(domain, "", credentials, push: true), ct, login: true).ConfigureAwait(false);

    /// <summary>https to an insecure registry goes without certificate verification, as dockerd's does.</summary>
    HttpClient ClientFor(string domain, Uri endpoint)
        => endpoint.Scheme == Uri.UriSchemeHttps && Hosts.IsInsecure(domain) ? _unverified : _http;

    static HttpClient NewClient(bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = DecompressionMethods.None, // blobs are hashed as sent
            UseProxy = false,
            ConnectCallback = PlainHttpEndpoints.ConnectAsync, // to tell a plain http registry from a TLS failure
        };
        if (!verify)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("berth/1.0");
        return http;
    }

    public void Dispose()
    {
        _http.Dispose();
        _unverified.Dispose();
    }
}
