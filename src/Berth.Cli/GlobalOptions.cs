using Berth.Cli.Client;
using Berth.Cli.CommandLine;

namespace Berth.Cli;

/// <summary>
/// The root command's flags (docker's global options): where the daemon is (-H, BERTH_HOST, DOCKER_HOST, else
/// unix:///run/berth/berth.sock), TLS, the config directory, debug and log level.
/// </summary>
internal sealed class GlobalOptions
{
    FlagRef<string> _config = null!;
    FlagRef<string> _context = null!;
    FlagRef<bool> _debug = null!;
    FlagRef<List<string>> _hosts = null!;
    FlagRef<string> _logLevel = null!;
    FlagRef<bool> _tls = null!;
    FlagRef<string> _tlsCa = null!;
    FlagRef<string> _tlsCert = null!;
    FlagRef<string> _tlsKey = null!;
    FlagRef<bool> _tlsVerify = null!;
    FlagRef<bool> _version = null!;

    public static string DefaultConfigDirectory(IReadOnlyDictionary<string, string?> env)
    {
        if (env.TryGetValue("BERTH_CONFIG", out var c) && !string.IsNullOrEmpty(c))
            return c;
        string home = env.TryGetValue("HOME", out var h) && !string.IsNullOrEmpty(h) ? h : "/root";
        return Path.Combine(home, ".berth");
    }

    public void Define(FlagSet flags, IReadOnlyDictionary<string, string?> env)
    {
        string configDir = DefaultConfigDirectory(env);
        flags.Interspersed = false;
        _config = flags.String("config", null, configDir, "Location of client config files");
        _context = flags.String("context", 'c', "", "Name of the context to use to connect to the daemon (only \"default\": berth has no contexts)");
        _debug = flags.Bool("debug", 'D', false, "Enable debug mode");
        _hosts = flags.List("host", 'H', "Daemon socket to connect to");
        _logLevel = flags.String("log-level", 'l', "info", "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")");
        _tls = flags.Bool("tls", null, false, "Use TLS; implied by --tlsverify");
        _tlsCa = flags.String("tlscacert", null, Path.Combine(configDir, "ca.pem"), "Trust certs signed only by this CA");
        _tlsCert = flags.String("tlscert", null, Path.Combine(configDir, "cert.pem"), "Path to TLS certificate file");
        _tlsKey = flags.String("tlskey", null, Path.Combine(configDir, "key.pem"), "Path to TLS key file");
        _tlsVerify = flags.Bool("tlsverify", null, false, "Use TLS and verify the remote");
        _version = flags.Bool("version", 'v', false, "Print version information and quit");
    }

    public bool Debug => _debug.Value;

    public bool ShowVersion => _version.Value;

    public string LogLevel => _logLevel.Value;

    public string ConfigDirectory(CliContext cli) => _config.Value;

    /// <summary>Checks what can be checked before a command runs (docker fails these before running anything).</summary>
    public void Validate()
    {
        if (_logLevel.Value is not ("debug" or "info" or "warn" or "warning" or "error" or "fatal" or "panic" or "trace"))
            throw new CliException($"Unable to parse logging level: {_logLevel.Value}");
        if (_context.Value.Length > 0 && _context.Value != "default")
            throw new CliException($"context \"{_context.Value}\" does not exist");
        if (_hosts.Value.Count > 1)
            throw new CliException("Specify only one -H");
    }

    public DaemonEndpoint Endpoint(CliContext cli)
    {
        string? host = _hosts.Value.Count > 0 ? _hosts.Value[0] : cli.Env("BERTH_HOST") ?? cli.Env("DOCKER_HOST");
        return host is null ? DaemonEndpoint.Default : DaemonEndpoint.Parse(host, UseTls(cli));
    }

    bool Verify(CliContext cli) => _tlsVerify.Changed ? _tlsVerify.Value : cli.Env("BERTH_TLS_VERIFY") is not null || cli.Env("DOCKER_TLS_VERIFY") is not null;

    bool UseTls(CliContext cli) => _tls.Value || Verify(cli);

    public DaemonClient CreateClient(CliContext cli)
    {
        var endpoint = Endpoint(cli);
        TlsSettings? tls = null;
        if (UseTls(cli) && !endpoint.IsUnix)
        {
            string? certPath = cli.Env("BERTH_CERT_PATH") ?? cli.Env("DOCKER_CERT_PATH");
            string Pick(FlagRef<string> flag, string file) =>
                flag.Changed || certPath is null ? flag.Value : Path.Combine(certPath, file);
            bool explicitFiles = _tlsCert.Changed || _tlsKey.Changed;
            tls = new TlsSettings(Verify(cli), Pick(_tlsCa, "ca.pem"), Pick(_tlsCert, "cert.pem"), Pick(_tlsKey, "key.pem"), explicitFiles);
        }
        return new DaemonClient(endpoint, tls, cli.Env("BERTH_API_VERSION") ?? cli.Env("DOCKER_API_VERSION"));
    }
}
