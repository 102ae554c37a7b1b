using Berth.Engine;

namespace Berth.Api.Daemon;

/// <summary>Everything berthd is started with: the engine's options and where it listens.</summary>
public sealed class DaemonSettings
{
    public const string DefaultSocket = "/run/berth/berth.sock";
    public const string DefaultConfigFile = "/etc/berth/daemon.json";

    public required EngineOptions Engine { get; init; }

    /// <summary>Listen addresses as dockerd's -H takes them: unix:///path, tcp://host:port.</summary>
    public required IReadOnlyList<string> Hosts { get; init; }

    public string? PidFile { get; init; }

    public bool Tls { get; init; }

    public bool TlsVerify { get; init; }

    public string? TlsCaCert { get; init; }

    public string? TlsCert { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>The group that may use the unix socket (dockerd's --group; "berth", when it exists).</summary>
    public string SocketGroup { get; init; } = "berth";

    public string LogLevel { get; init; } = "info";

    /// <summary>The registry berthd serves beside the API (--registry-addr, --registry-config); null for none.</summary>
    public Distribution.Server.RegistryConfig? Registry { get; init; }
}
