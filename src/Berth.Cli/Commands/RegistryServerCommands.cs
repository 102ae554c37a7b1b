using System.Runtime.InteropServices;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Distribution.Server;

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
                var effective = new RegistryConfig
                {
                    Addr = addr.Value,
                    Root = root.Value,
                    ReadOnly = readOnly.Value,
                    DeleteEnabled = deletes.Value,
                    AccessLog = accessLog.Value,
                    GcInterval = gcInterval.Value,
                    Tls = new() { Cert = tlsCert.Value, Key = tlsKey.Value },
                    Auth = new()
                    {
                        Type = auth.Value,
                        Htpasswd = htpasswd.Value,
                        TokenAcl = tokenAcl.Value,
                        TokenRealm = tokenRealm.Value,
                        TokenService = tokenService.Value,
                        TokenKey = tokenKey.Value,
                    },
                    Proxy = new() { RemoteUrl = proxyRemote.Value, Username = proxyUser.Value, Password = proxyPassword.Value },
                    UploadPurging = config.UploadPurging, // the file's only: no flag sets it
                };
                var output = inv.Out;
                using var stop = new CancellationTokenSource();
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
                ServingRegistry serving;
                try
                {
                    serving = await ServingRegistry.StartAsync(effective, line => Print(inv.Err, line), line => Print(output, line)).ConfigureAwait(false);
                }
                catch (RegistryConfigException e)
                {
                    throw new CliException($"berth registry: {e.Message}");
                }
                await using (serving.ConfigureAwait(false))
                {
                    Print(output, $"berth registry: serving {serving.Registry.Storage.Root} on {serving.Url}");
                    try
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
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

    static void Print(TextWriter writer, string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

}
