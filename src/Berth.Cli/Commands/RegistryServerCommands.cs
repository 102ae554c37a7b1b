using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Distribution.Client;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Auth;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>"berth registry serve" (an OCI distribution registry in this process) and "berth registry gc" (offline collection).</summary>
internal static class RegistryServerCommands
{
    public static CommandSpec Group() => new CommandSpec { Name = "registry", Short = "Serve and maintain an image registry" }.Add(Serve(), Gc());

    static CommandSpec Serve() => new()
    {
        Name = "serve",
        Use = "[OPTIONS]",
        Short = "Serve an OCI distribution registry",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var addr = flags.String("addr", null, "127.0.0.1:5000", "Address to listen on (HOST:PORT; port 0 picks a free one)");
            var root = flags.String("root", null, "/var/lib/berth-registry", "Directory of the registry's storage");
            var readOnly = flags.Bool("read-only", null, false, "Refuse every push and delete");
            var deletes = flags.Bool("delete-enabled", null, false, "Allow deleting manifests, tags and blobs");
            var tlsCert = flags.String("tls-cert", null, "", "TLS certificate (PEM)");
            var tlsKey = flags.String("tls-key", null, "", "TLS private key (PEM)");
            var accessLog = flags.Bool("access-log", null, false, "Print a line for every request");
            var gcInterval = flags.String("gc-interval", null, "", "Collect garbage online at this interval (e.g. 1h); off when empty");
            var htpasswd = flags.String("htpasswd", null, "", "Users and their bcrypt passwords (htpasswd -B): basic auth, or the token endpoint's users");
            var auth = flags.String("auth", null, "", "Authentication: none, htpasswd or token (default: htpasswd when --htpasswd is given)");
            var tokenAcl = flags.String("token-acl", null, "", "Token auth: the rules of who gets which scopes (\"account pattern actions\" lines)");
            var tokenRealm = flags.String("token-realm", null, "", "Token auth: the token endpoint's URL clients are sent to (default: this server's /token)");
            var tokenService = flags.String("token-service", null, "berth-registry", "Token auth: the service name tokens are issued for");
            var tokenKey = flags.String("token-key", null, "", "Token auth: the ECDSA P-256 private key (PEM) that signs tokens (default: a new one per start)");
            var proxyRemote = flags.String("proxy-remote-url", null, "", "Serve as a pull-through cache of this registry (e.g. https://registry-1.docker.io)");
            var proxyUser = flags.String("proxy-username", null, "", "Pull-through cache: the user name at the remote registry");
            var proxyPassword = flags.String("proxy-password", null, "", "Pull-through cache: the password at the remote registry");
            var configFile = flags.String("config", null, "", "A JSON config file for all of the above; flags given win over it");
            return async inv =>
            {
                var config = new RegistryConfig();
                if (configFile.Value.Length > 0)
                {
                    try
                    {
                        config = RegistryConfig.Load(configFile.Value);
                    }
                    catch (Exception e) when (e is FormatException or IOException)
                    {
                        throw new CliException($"berth registry: {e.Message}");
                    }
                }
                Apply(addr, config.Addr);
                Apply(root, config.Root);
                Apply(readOnly, config.ReadOnly);
                Apply(deletes, config.DeleteEnabled);
                Apply(accessLog, config.AccessLog);
                Apply(gcInterval, config.GcInterval);
                Apply(tlsCert, config.Tls?.Cert);
                Apply(tlsKey, config.Tls?.Key);
                Apply(auth, config.Auth?.Type);
                Apply(htpasswd, config.Auth?.Htpasswd);
                Apply(tokenAcl, config.Auth?.TokenAcl);
                Apply(tokenRealm, config.Auth?.TokenRealm);
                Apply(tokenService, config.Auth?.TokenService);
                Apply(tokenKey, config.Auth?.TokenKey);
                Apply(proxyRemote, config.Proxy?.RemoteUrl);
                Apply(proxyUser, config.Proxy?.Username);
                Apply(proxyPassword, config.Proxy?.Password);
                Uri? remote = null;
                if (proxyRemote.Value.Length > 0 && (!Uri.TryCreate(proxyRemote.Value, UriKind.Absolute, out remote) || remote.Scheme is not ("http" or "https")))
                    throw new CliException($"invalid --proxy-remote-url \"{proxyRemote.Value}\": use http(s)://host[:port]");
                var endpoint = ParseAddress(addr.Value);
                ServerTls? tls = null;
                if (tlsCert.Value.Length > 0 || tlsKey.Value.Length > 0)
                {
                    if (tlsCert.Value.Length == 0 || tlsKey.Value.Length == 0)
                        throw new CliException("TLS needs both --tls-cert and --tls-key");
                    tls = new ServerTls(X509Certificate2.CreateFromPemFile(tlsCert.Value, tlsKey.Value));
                }
                TimeSpan? interval = gcInterval.Value.Length == 0 ? null : ParseInterval(gcInterval.Value);
                var output = inv.Out;
                var storage = new RegistryStorage(root.Value);
                RegistryServer? registry = null;
                await using var server = new HttpServer(context => registry!.HandleAsync(context), line => Print(inv.Err, line));
                var bound = server.ListenTcp(endpoint, tls);
                string scheme = tls is null ? "http" : "https";
                registry = new RegistryServer(storage, new RegistryOptions
                {
                    ReadOnly = readOnly.Value,
                    DeleteEnabled = deletes.Value,
                    AccessLog = accessLog.Value ? line => Print(output, line) : null,
                    ProxyRemote = remote,
                    ProxyCredentials = proxyUser.Value.Length > 0 ? new RegistryCredentials(proxyUser.Value, proxyPassword.Value) : null,
                    Auth = Authentication(auth.Value, htpasswd.Value, tokenAcl.Value,
                        tokenRealm.Value.Length > 0 ? tokenRealm.Value : $"{scheme}://{bound}/token", tokenService.Value, tokenKey.Value, inv.Err),
                });
                using var disposeRegistry = registry;
                using var stop = new CancellationTokenSource();
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
                await server.StartAsync().ConfigureAwait(false);
                Print(output, $"berth registry: serving {storage.Root} on {scheme}://{bound}");
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await Task.Delay(interval ?? Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
                        var result = registry.CollectGarbage(interval!.Value, line => Print(inv.Err, line));
                        Print(output, $"berth registry: garbage collection removed {result.RemovedBlobs.Count} blobs ({result.RemovedBytes} bytes)");
                    }
                }
                catch (OperationCanceledException)
                {
                }
                await server.StopAsync().ConfigureAwait(false);
                return 0;
            };
        },
    };

    static CommandSpec Gc() => new()
    {
        Name = "gc",
        Use = "[OPTIONS]",
        Short = "Remove the blobs no manifest refers to (stop the registry first)",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var root = flags.String("root", null, "/var/lib/berth-registry", "Directory of the registry's storage");
            return inv =>
            {
                if (!Directory.Exists(Path.Combine(root.Value, "repositories")))
                    throw new CliException($"{root.Value} is not a registry's storage (no repositories directory)");
                var storage = new RegistryStorage(root.Value);
                var result = RegistryGarbageCollector.Collect(storage, TimeSpan.Zero, line => inv.Err.WriteLine(line));
                foreach (var digest in result.RemovedBlobs)
                    inv.Out.WriteLine($"blob eligible for deletion: {digest}");
                inv.Out.WriteLine($"{result.RemovedBlobs.Count} blobs removed, {result.RemovedBytes} bytes freed");
                return Task.FromResult(0);
            };
        },
    };

    /// <summary>The config file's value where the flag was not given.</summary>
    static void Apply<T>(FlagRef<T> flag, T? configured)
    {
        if (!flag.Changed && configured is not null)
            flag.Value = configured;
    }

    static void Apply(FlagRef<bool> flag, bool? configured)
    {
        if (!flag.Changed && configured is { } value)
            flag.Value = value;
    }

    static IRegistryAuth? Authentication(string kind, string htpasswd, string acl, string realm, string service, string keyFile, TextWriter errors)
    {
        if (kind.Length == 0)
            kind = htpasswd.Length > 0 ? "htpasswd" : "none";
        Htpasswd? users = null;
        if (htpasswd.Length > 0)
        {
            users = Htpasswd.Load(htpasswd);
            foreach (string skipped in users.Skipped)
                errors.WriteLine($"berth registry: {skipped}");
        }
        switch (kind)
        {
            case "none":
                return null;
            case "htpasswd":
                return new BasicAuth(users ?? throw new CliException("--auth htpasswd needs --htpasswd FILE"));
            case "token":
                if (acl.Length == 0)
                    throw new CliException("--auth token needs --token-acl FILE (who may pull and push what)");
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                if (keyFile.Length > 0)
                    key.ImportFromPem(File.ReadAllText(keyFile));
                return new TokenAuth(realm, service, users, TokenAcl.Parse(File.ReadAllText(acl), acl), key);
            default:
                throw new CliException($"invalid --auth \"{kind}\": use none, htpasswd or token");
        }
    }

    static void Print(TextWriter writer, string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    static IPEndPoint ParseAddress(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new CliException($"invalid address \"{text}\": use HOST:PORT");
        string host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
            return new IPEndPoint(IPAddress.Any, port);
        if (host == "localhost")
            return new IPEndPoint(IPAddress.Loopback, port);
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new CliException($"invalid address \"{text}\": the host must be an IP address or localhost");
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
        throw new CliException($"invalid --gc-interval \"{text}\": use a number with s, m or h");
    }
}
