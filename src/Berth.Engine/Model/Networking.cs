using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>The create body's per-network endpoint settings (API 1.44+ accepts several networks).</summary>
public sealed class NetworkingConfig
{
    public Dictionary<string, EndpointSettings?>? EndpointsConfig { get; set; }
}

/// <summary>
/// A container's endpoint on one network: configuration (the first fields, also in create and connect bodies) and,
/// in inspect and list, operational data.
/// </summary>
public sealed class EndpointSettings
{
    public EndpointIPAMConfig? IPAMConfig { get; set; }

    public List<string>? Links { get; set; }

    /// <summary>Extra DNS names as given (API 1.45+ no longer adds the short ID; see <see cref="DNSNames"/>).</summary>
    public List<string>? Aliases { get; set; }

    /// <summary>Requested MAC address at create (API 1.44+), then the endpoint's address.</summary>
    public string MacAddress { get; set; } = "";

    public Dictionary<string, string>? DriverOpts { get; set; }

    /// <summary>API 1.48+: the endpoint with the highest priority gives the default gateway.</summary>
    public int GwPriority { get; set; }

    public string NetworkID { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    /// <summary>API 1.44+: all the endpoint's short DNS names; the first gives PTR records.</summary>
    public List<string>? DNSNames { get; set; }
}

/// <summary>Static addresses asked for an endpoint.</summary>
public sealed class EndpointIPAMConfig
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? IPv4Address { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? IPv6Address { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? LinkLocalIPs { get; set; }
}

/// <summary>
/// A container's network state in inspect (<c>NetworkSettings</c>). The fields after <see cref="Ports"/> up to
/// <see cref="Networks"/> are deprecated mirrors of the default network's endpoint that API 1.50 still writes
/// (removed in 1.52).
/// </summary>
public sealed class NetworkSettings
{
    public string Bridge { get; set; } = "";

    public string SandboxID { get; set; } = "";

    public string SandboxKey { get; set; } = "";

    /// <summary>Exposed ports (<c>"80/tcp"</c>) to their host bindings, null for a port that is not published.</summary>
    public Dictionary<string, List<PortBinding>?>? Ports { get; set; }

    public bool HairpinMode { get; set; }

    public string LinkLocalIPv6Address { get; set; } = "";

    public int LinkLocalIPv6PrefixLen { get; set; }

    public List<NetworkAddress>? SecondaryIPAddresses { get; set; }

    public List<NetworkAddress>? SecondaryIPv6Addresses { get; set; }

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string MacAddress { get; set; } = "";

    public Dictionary<string, EndpointSettings?>? Networks { get; set; }
}

/// <summary>An IP address with its prefix length.</summary>
public sealed class NetworkAddress
{
    public string Addr { get; set; } = "";

    public int PrefixLen { get; set; }
}
