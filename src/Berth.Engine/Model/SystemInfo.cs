using System.Text.Json;
using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// <c>GET /info</c> as API 1.50 writes it. Gone by then and not modelled: <c>BridgeNfIptables</c>,
/// <c>BridgeNfIp6tables</c> (1.50), the <c>Expected</c> commits and <c>AllowNondistributableArtifacts*</c> (1.49),
/// <c>ClusterStore</c>/<c>ClusterAdvertise</c> (1.42). The swarm's <c>Cluster</c> is not modelled either.
/// </summary>
public sealed class SystemInfo
{
    public string ID { get; set; } = "";

    public int Containers { get; set; }

    public int ContainersRunning { get; set; }

    public int ContainersPaused { get; set; }

    public int ContainersStopped { get; set; }

    public int Images { get; set; }

    public string Driver { get; set; } = "";

    /// <summary>Label/value pairs (Go's <c>[][2]string</c>).</summary>
    public List<string[]>? DriverStatus { get; set; }

    /// <summary>Only from the swarm standalone API.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string[]>? SystemStatus { get; set; }

    public PluginsInfo Plugins { get; set; } = new();

    public bool MemoryLimit { get; set; }

    public bool SwapLimit { get; set; }

    /// <summary>Deprecated: written only when true.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool KernelMemory { get; set; }

    /// <summary>Deprecated in 1.51, gone in 1.52: written only when true (never on cgroup v2).</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool KernelMemoryTCP { get; set; }

    public bool CpuCfsPeriod { get; set; }

    public bool CpuCfsQuota { get; set; }

    public bool CPUShares { get; set; }

    public bool CPUSet { get; set; }

    public bool PidsLimit { get; set; }

    public bool IPv4Forwarding { get; set; }

    public bool Debug { get; set; }

    public int NFd { get; set; }

    public bool OomKillDisable { get; set; }

    public int NGoroutines { get; set; }

    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string SystemTime { get; set; } = "";

    public string LoggingDriver { get; set; } = "";

    /// <summary><c>cgroupfs</c>, <c>systemd</c> or <c>none</c>.</summary>
    public string CgroupDriver { get; set; } = "";

    /// <summary><c>1</c> or <c>2</c>.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? CgroupVersion { get; set; }

    public int NEventsListener { get; set; }

    public string KernelVersion { get; set; } = "";

    public string OperatingSystem { get; set; } = "";

    public string OSVersion { get; set; } = "";

    public string OSType { get; set; } = "";

    public string Architecture { get; set; } = "";

    public string IndexServerAddress { get; set; } = "";

    public RegistryServiceConfig? RegistryConfig { get; set; }

    public int NCPU { get; set; }

    public long MemTotal { get; set; }

    public List<GenericResource>? GenericResources { get; set; }

    public string DockerRootDir { get; set; } = "";

    public string HttpProxy { get; set; } = "";

    public string HttpsProxy { get; set; } = "";

    public string NoProxy { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string>? Labels { get; set; }

    public bool ExperimentalBuild { get; set; }

    public string ServerVersion { get; set; } = "";

    public Dictionary<string, RuntimeInfo>? Runtimes { get; set; }

    public string DefaultRuntime { get; set; } = "";

    public SwarmInfo Swarm { get; set; } = new();

    public bool LiveRestoreEnabled { get; set; }

    public string Isolation { get; set; } = "";

    public string InitBinary { get; set; } = "";

    public Commit ContainerdCommit { get; set; } = new();

    public Commit RuncCommit { get; set; } = new();

    public Commit InitCommit { get; set; } = new();

    /// <summary><c>name=seccomp,profile=default</c>, <c>name=cgroupns</c>, ...</summary>
    public List<string>? SecurityOptions { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? ProductLicense { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<NetworkAddressPool>? DefaultAddressPools { get; set; }

    /// <summary>API 1.49+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public FirewallInfo? FirewallBackend { get; set; }

    /// <summary>API 1.44+.</summary>
    public List<string>? CDISpecDirs { get; set; }

    /// <summary>API 1.50+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<DeviceInfo>? DiscoveredDevices { get; set; }

    /// <summary>API 1.46+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public ContainerdInfo? Containerd { get; set; }

    public List<string>? Warnings { get; set; }
}

/// <summary>The plugins by kind.</summary>
public sealed class PluginsInfo
{
    public List<string>? Volume { get; set; }

    public List<string>? Network { get; set; }

    public List<string>? Authorization { get; set; }

    public List<string>? Log { get; set; }
}

/// <summary>The registry settings (<c>RegistryConfig</c>); CIDRs as strings (<c>127.0.0.0/8</c>).</summary>
public sealed class RegistryServiceConfig
{
    public List<string>? InsecureRegistryCIDRs { get; set; }

    public Dictionary<string, IndexInfo?>? IndexConfigs { get; set; }

    public List<string>? Mirrors { get; set; }
}

/// <summary>One registry (<c>docker.io</c>).</summary>
public sealed class IndexInfo
{
    public string Name { get; set; } = "";

    public List<string>? Mirrors { get; set; }

    public bool Secure { get; set; }

    public bool Official { get; set; }
}

/// <summary>An OCI runtime the daemon knows (<c>Runtimes</c>; lowercase names as Docker writes them).</summary>
public sealed class RuntimeInfo
{
    [JsonPropertyName("path")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Path { get; set; }

    [JsonPropertyName("runtimeArgs")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Args { get; set; }

    [JsonPropertyName("runtimeType")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Type { get; set; }

    [JsonPropertyName("options")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, JsonElement>? Options { get; set; }

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? Status { get; set; }
}

/// <summary>This node's swarm state; <see cref="LocalNodeState"/> <c>inactive</c> outside a swarm.</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";

    public string NodeAddr { get; set; } = "";

    /// <summary><c>""</c>, <c>inactive</c>, <c>pending</c>, <c>active</c>, <c>error</c>, <c>locked</c>.</summary>
    public string LocalNodeState { get; set; } = "";

    public bool ControlAvailable { get; set; }

    public string Error { get; set; } = "";

    public List<SwarmPeer>? RemoteManagers { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public int Nodes { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public int Managers { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Warnings { get; set; }
}

public sealed class SwarmPeer
{
    public string NodeID { get; set; } = "";

    public string Addr { get; set; } = "";
}

/// <summary>A user-defined resource: named (<c>GPU=UUID-1</c>) or discrete (<c>SSD=3</c>).</summary>
public sealed class GenericResource
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public NamedGenericResource? NamedResourceSpec { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public DiscreteGenericResource? DiscreteResourceSpec { get; set; }
}

public sealed class NamedGenericResource
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Kind { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Value { get; set; }
}

public sealed class DiscreteGenericResource
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Kind { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public long Value { get; set; }
}

/// <summary>The commit or version of an external tool (containerd, runc, init).</summary>
public sealed class Commit
{
    public string ID { get; set; } = "";
}

public sealed class NetworkAddressPool
{
    public string Base { get; set; } = "";

    public int Size { get; set; }
}

/// <summary>The firewall backend (API 1.49+): driver and label/value pairs.</summary>
public sealed class FirewallInfo
{
    public string Driver { get; set; } = "";

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string[]>? Info { get; set; }
}

/// <summary>A device found by a device driver (API 1.50+, CDI).</summary>
public sealed class DeviceInfo
{
    public string Source { get; set; } = "";

    public string ID { get; set; } = "";
}

/// <summary>The containerd the daemon uses (API 1.46+).</summary>
public sealed class ContainerdInfo
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Address { get; set; }

    public ContainerdNamespaces Namespaces { get; set; } = new();
}

public sealed class ContainerdNamespaces
{
    public string Containers { get; set; } = "";

    public string Plugins { get; set; } = "";
}
