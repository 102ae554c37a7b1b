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

    public RegistryClient(RegistryHosts hosts)
    {
        Hosts = hosts;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = DecompressionMethods.None, // blobs are hashed as sent
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("berth/1.0");
    }

    public RegistryHosts Hosts { get; }

    /// <summary>Sessions for <paramref name="repository"/> on each endpoint of <paramref name="domain"/> (mirrors first, for Docker Hub).</summary>
    public IReadOnlyList<RepositorySession> Sessions(string domain, string repository, RegistryCredentials credentials, bool push, IEnumerable<string>? alsoPullFrom = null)
    {
        var scopes = new List<string> { $"repository:{repository}:{(push ? "pull,push" : "pull")}" };
        scopes.AddRange((alsoPullFrom ?? []).Where(r => r != repository).Distinct().Select(r => $"repository:{r}:pull"));
        var endpoints = push ? [Hosts.Primary(domain)] : Hosts.Endpoints(domain);
        return [.. endpoints.Select(e => new RepositorySession(_http, e, domain, repository, credentials, scopes))];
    }

    /// <summary>
    /// <c>docker login</c>: checks <paramref name="credentials"/> against the registry's <c>/v2/</c> (answering its
    /// challenge; a token endpoint that refuses them is "unauthorized"). Throws <see cref="RegistryException"/> if refused.
    /// </summary>
    public async Task LoginAsync(string domain, RegistryCredentials credentials, CancellationToken ct)
    {
        var session = new RepositorySession(_http, Hosts.Primary(domain), domain, "", credentials, []);
        await session.PingAsync(ct, login: true).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();
}
