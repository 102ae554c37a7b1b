using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Berth.Api.Daemon;
using Berth.Http;
using Berth.Engine;

namespace Berth.Api;

/// <summary>berthd: the engine daemon. Takes dockerd's flags where they apply; runs until SIGTERM or SIGINT.</summary>
static class Program
{
    static async Task<int> Main(string[] args)
    {
        if (args is ["--version"] or ["-v"])
        {
            Console.WriteLine($"Berth version {Endpoints.ApiVersion.BerthVersion} (Docker Engine API {Endpoints.ApiVersion.Current})");
            return 0;
        }
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine("Usage: berthd [-H unix:///run/berth/berth.sock] [--data-root DIR] [--exec-root DIR] [--pidfile FILE] [--config-file FILE]\n" +
                "              [--tlsverify --tlscacert CA --tlscert CERT --tlskey KEY] [--default-runtime NAME] [--add-runtime NAME=PATH] [--live-restore] ...");
            return 0;
        }
        DaemonSettings settings;
        try
        {
            settings = DaemonSettingsParser.Parse(args);
        }
        catch (DaemonSettingsException e)
        {
            Console.Error.WriteLine($"berthd: {e.Message}");
            return 1;
        }
        bool debug = settings.LogLevel == "debug";
        void Log(string message) => Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}");

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        BerthEngine engine;
        try
        {
            engine = await BerthEngine.OpenAsync(settings.Engine, Log);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"berthd: {e.Message}");
            return 1;
        }
        await using (engine)
        {
            var api = new ApiHost(engine, Log);
            await using var server = new HttpServer(api.HandleAsync, debug ? Log : null);
            try
            {
                Listen(server, settings);
            }
            catch (Exception e) when (e is DaemonSettingsException or IOException or System.Net.Sockets.SocketException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine($"berthd: {e.Message}");
                return 1;
            }
            await server.StartAsync(stop.Token);
            Distribution.Server.ServingRegistry? registry = null;
            if (settings.Registry is { } registryConfig)
            {
                try
                {
                    registry = await Distribution.Server.ServingRegistry.StartAsync(registryConfig, Log);
                }
                catch (Distribution.Server.RegistryConfigException e)
                {
                    Console.Error.WriteLine($"berthd: registry: {e.Message}");
                    await server.StopAsync();
                    return 1;
                }
                Log($"berthd: registry serving {registry.Registry.Storage.Root} on {registry.Url}");
            }
            await using var stopRegistry = registry;
            if (settings.PidFile is { } pidFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pidFile))!);
                File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            Log($"berthd {Endpoints.ApiVersion.BerthVersion}: API listen on {string.Join(", ", settings.Hosts)}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            Log("berthd: stopping");
            await server.StopAsync();
            if (settings.PidFile is { } pid)
                File.Delete(pid);
        }
        return 0;
    }

    static void Listen(HttpServer server, DaemonSettings settings)
    {
        foreach (string host in settings.Hosts)
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                string path = host["unix://".Length..];
                server.ListenUnix(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
                SocketGroup.Apply(path, settings.SocketGroup);
            }
            else if (host.StartsWith("tcp://", StringComparison.Ordinal))
            {
                var endpoint = ParseEndpoint(host["tcp://".Length..]);
                ServerTls? tls = null;
                if (settings.Tls || settings.TlsVerify)
                {
                    if (settings.TlsCert is null || settings.TlsKey is null)
                        throw new DaemonSettingsException("TLS needs --tlscert and --tlskey");
                    var cert = X509Certificate2.CreateFromPemFile(settings.TlsCert, settings.TlsKey);
                    X509Certificate2Collection? cas = null;
                    if (settings.TlsVerify)
                    {
                        if (settings.TlsCaCert is null)
                            throw new DaemonSettingsException("--tlsverify needs --tlscacert");
                        cas = [];
                        cas.ImportFromPemFile(settings.TlsCaCert);
                    }
                    tls = new ServerTls(cert, cas);
                }
                else if (!IPAddress.IsLoopback(endpoint.Address))
                {
                    throw new DaemonSettingsException($"refusing to listen on {host} without TLS: plain TCP is only allowed on loopback (use --tlsverify with --tlscacert, --tlscert and --tlskey)");
                }
                server.ListenTcp(endpoint, tls);
            }
            else
            {
                throw new DaemonSettingsException($"invalid host address \"{host}\": use unix:///path or tcp://host:port");
            }
        }
    }

    static IPEndPoint ParseEndpoint(string text)
    {
        int colon = text.LastIndexOf(':');
        string hostPart = colon < 0 ? text : text[..colon];
        string portPart = colon < 0 ? "2376" : text[(colon + 1)..];
        if (hostPart.Length == 0)
            hostPart = "127.0.0.1";
        if (!int.TryParse(portPart, out int port) || port is < 0 or > 65535)
            throw new DaemonSettingsException($"invalid port in tcp://{text}");
        var address = hostPart == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(hostPart.Trim('[', ']'), out var ip) ? ip
            : throw new DaemonSettingsException($"invalid address in tcp://{text}");
        return new IPEndPoint(address, port);
    }
}
