using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Distribution.Client;
using Berth.Distribution.Server.Auth;
using Berth.Http;

namespace Berth.Distribution.Server;

/// <summary>A registry setting that cannot be used; the message names it and says what would do.</summary>
public sealed class RegistryConfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A registry serving on one TCP address from a <see cref="RegistryConfig"/>: what <c>berth registry serve</c> runs and
/// what berthd embeds. Binds (errors surface at <see cref="StartAsync"/>), serves, collects garbage online at the
/// configured interval, and stops on dispose.
/// </summary>
public sealed class ServingRegistry : IAsyncDisposable
{
    readonly HttpServer _server;
    readonly CancellationTokenSource _stopping = new();
    Task _collector = Task.CompletedTask;
    Task _purger = Task.CompletedTask;

    ServingRegistry(HttpServer server, RegistryServer registry, string url)
    {
        _server = server;
        Registry = registry;
        Url = url;
    }

    public RegistryServer Registry { get; }

    /// <summary>Where it serves: <c>http://127.0.0.1:5000</c> (the port the kernel chose for port 0).</summary>
    public string Url { get; }

    /// <exception cref="RegistryConfigException">A setting that cannot be used (address, TLS files, auth files, remote URL, interval).</exception>
    public static async Task<ServingRegistry> StartAsync(RegistryConfig config, Action<string> log, Action<string>? accessLog = null)
    {
        var endpoint = ParseAddress(config.Addr ?? "127.0.0.1:5000");
        var tls = Tls(config.Tls);
        TimeSpan? interval = string.IsNullOrEmpty(config.GcInterval) ? null : ParseInterval(config.GcInterval);
        var purging = config.UploadPurging;
        TimeSpan purgeAge = string.IsNullOrEmpty(purging?.Age) ? TimeSpan.FromHours(168) : ParseInterval(purging.Age);
        TimeSpan purgeInterval = string.IsNullOrEmpty(purging?.Interval) ? TimeSpan.FromHours(24) : ParseInterval(purging.Interval);
        Uri? remote = null;
        if (!string.IsNullOrEmpty(config.Proxy?.RemoteUrl)
            && (!Uri.TryCreate(config.Proxy.RemoteUrl, UriKind.Absolute, out remote) || remote.Scheme is not ("http" or "https")))
            throw new RegistryConfigException($"invalid proxy remote URL \"{config.Proxy.RemoteUrl}\": use http(s)://host[:port]");

        var storage = new RegistryStorage(config.Root ?? "/var/lib/berth-registry");
        RegistryServer? registry = null;
        var server = new HttpServer(context => registry!.HandleAsync(context), log);
        try
        {
            IPEndPoint bound;
            try
            {
                bound = server.ListenTcp(endpoint, tls);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new RegistryConfigException($"cannot listen on {endpoint}: {e.Message}", e);
            }
            string url = $"{(tls is null ? "http" : "https")}://{bound}";
            registry = new RegistryServer(storage, new RegistryOptions
            {
                ReadOnly = config.ReadOnly ?? false,
                DeleteEnabled = config.DeleteEnabled ?? false,
                AccessLog = config.AccessLog == true ? accessLog ?? log : null,
                ProxyRemote = remote,
                ProxyCredentials = string.IsNullOrEmpty(config.Proxy?.Username) ? null : new RegistryCredentials(config.Proxy.Username, config.Proxy.Password),
                Auth = Authentication(config.Auth, $"{url}/token", log),
            });
            // Before the first request: one could otherwise resume (touch) an upload abandoned long ago.
            if (purging?.Enabled != false)
                PurgeUploads(registry, purgeAge, purgeInterval, log);
            await server.StartAsync().ConfigureAwait(false);
            var serving = new ServingRegistry(server, registry, url);
            if (interval is { } every)
                serving._collector = serving.CollectEveryAsync(every, log);
            if (purging?.Enabled != false)
                serving._purger = serving.PurgeUploadsEveryAsync(purgeAge, purgeInterval, log);
            return serving;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            registry?.Dispose();
            throw;
        }
    }

    async Task CollectEveryAsync(TimeSpan interval, Action<string> log)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _stopping.Token).ConfigureAwait(false);
                var result = Registry.CollectGarbage(interval, log);
                log($"registry garbage collection removed {result.RemovedBlobs.Count} blobs ({result.RemovedBytes} bytes)");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Abandoned uploads go every <paramref name="interval"/> (and once at start, before serving).</summary>
    async Task PurgeUploadsEveryAsync(TimeSpan age, TimeSpan interval, Action<string> log)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _stopping.Token).ConfigureAwait(false);
                PurgeUploads(Registry, age, interval, log);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    static void PurgeUploads(RegistryServer registry, TimeSpan age, TimeSpan interval, Action<string> log)
    {
        try
        {
            int purged = registry.Uploads.Purge(DateTimeOffset.UtcNow - age);
            if (purged > 0)
                log($"registry upload purging removed {purged} uploads untouched for {age.TotalHours:0.##}h");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Images.StoreException)
        {
            log($"registry upload purging: {e.Message}; again in {interval}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _collector.ConfigureAwait(false);
        await _purger.ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        Registry.Dispose();
        _stopping.Dispose();
    }

    static ServerTls? Tls(RegistryConfig.TlsSection? tls)
    {
        if (string.IsNullOrEmpty(tls?.Cert) && string.IsNullOrEmpty(tls?.Key))
            return null;
        if (string.IsNullOrEmpty(tls?.Cert) || string.IsNullOrEmpty(tls.Key))
            throw new RegistryConfigException("TLS needs both a certificate and a key");
        try
        {
            return new ServerTls(X509Certificate2.CreateFromPemFile(tls.Cert, tls.Key));
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new RegistryConfigException($"TLS certificate {tls.Cert} with key {tls.Key}: {e.Message}", e);
        }
    }

    static IRegistryAuth? Authentication(RegistryConfig.AuthSection? auth, string defaultRealm, Action<string> log)
    {
        string kind = auth?.Type is { Length: > 0 } type ? type : string.IsNullOrEmpty(auth?.Htpasswd) ? "none" : "htpasswd";
        Htpasswd? users = null;
        try
        {
            if (!string.IsNullOrEmpty(auth?.Htpasswd))
            {
                users = Htpasswd.Load(auth.Htpasswd);
                foreach (string skipped in users.Skipped)
                    log($"registry: {skipped}");
            }
            switch (kind)
            {
                case "none":
                    return null;
                case "htpasswd":
                    return new BasicAuth(users ?? throw new RegistryConfigException("htpasswd auth needs an htpasswd file"));
                case "token":
                    if (string.IsNullOrEmpty(auth?.TokenAcl))
                        throw new RegistryConfigException("token auth needs a token ACL file (who may pull and push what)");
                    var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    if (!string.IsNullOrEmpty(auth.TokenKey))
                        key.ImportFromPem(File.ReadAllText(auth.TokenKey));
                    return new TokenAuth(string.IsNullOrEmpty(auth.TokenRealm) ? defaultRealm : auth.TokenRealm,
                        string.IsNullOrEmpty(auth.TokenService) ? "berth-registry" : auth.TokenService, users,
                        TokenAcl.Parse(File.ReadAllText(auth.TokenAcl), auth.TokenAcl), key);
                default:
                    throw new RegistryConfigException($"invalid auth type \"{kind}\": use none, htpasswd or token");
            }
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or CryptographicException)
        {
            throw new RegistryConfigException($"registry auth: {e.Message}", e);
        }
    }

    /// <summary>HOST:PORT with an IP address or localhost; an empty host is every address.</summary>
    public static IPEndPoint ParseAddress(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new RegistryConfigException($"invalid address \"{text}\": use HOST:PORT");
        string host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
            return new IPEndPoint(IPAddress.Any, port);
        if (host == "localhost")
            return new IPEndPoint(IPAddress.Loopback, port);
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new RegistryConfigException($"invalid address \"{text}\": the host must be an IP address or localhost");
    }

    static TimeSpan ParseInterval(string text)
    {
        char unit = text[^1];
        if (double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0)
        {
            switch (unit)
            {
                case 's': return TimeSpan.FromSeconds(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 'h': return TimeSpan.FromHours(value);
            }
        }
        throw new RegistryConfigException($"invalid garbage collection interval \"{text}\": use a number with s, m or h");
    }
}
