using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// A network as <c>GET /networks/{id}</c> answers (Docker 28's <c>network.Inspect</c>); the list answers the same
/// objects. Berth also persists it as the network's record (<see cref="Containers"/> left null there).
/// </summary>
public sealed class Network
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    public string Scope { get; set; } = "local";

    public string Driver { get; set; } = "";

    public bool EnableIPv4 { get; set; } = true;

    public bool EnableIPv6 { get; set; }

    public IPAM IPAM { get; set; } = new();

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public ConfigReference ConfigFrom { get; set; } = new();

    public bool ConfigOnly { get; set; }

    /// <summary>Endpoints by container ID (inspect); empty in the list, as Docker's.</summary>
    public Dictionary<string, NetworkEndpoint>? Containers { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

public sealed class IPAM
{
    public string Driver { get; set; } = "default";

    public Dictionary<string, string>? Options { get; set; }

    public List<IPAMConfig>? Config { get; set; }
}

public sealed class IPAMConfig
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Subnet { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? IPRange { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Gateway { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}

public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}

/// <summary>A container's endpoint as a network's inspect lists it.</summary>
public sealed class NetworkEndpoint
{
    public string Name { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string MacAddress { get; set; } = "";

    /// <summary>With its prefix length: <c>"172.18.0.2/16"</c>.</summary>
    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";
}

/// <summary><c>POST /networks/create</c>'s body.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";

    public bool CheckDuplicate { get; set; }

    public string? Driver { get; set; }

    public string? Scope { get; set; }

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public bool ConfigOnly { get; set; }

    public ConfigReference? ConfigFrom { get; set; }

    public IPAM? IPAM { get; set; }

    public bool? EnableIPv4 { get; set; }

    public bool? EnableIPv6 { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";

    public string Warning { get; set; } = "";
}

/// <summary><c>POST /networks/{id}/connect</c>'s body.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";

    public EndpointSettings? EndpointConfig { get; set; }
}

/// <summary><c>POST /networks/{id}/disconnect</c>'s body.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";

    public bool Force { get; set; }
}

public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
