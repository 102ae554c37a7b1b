using System.Text.RegularExpressions;
using Berth.Cli.Client;
using Berth.Engine.Model;

namespace Berth.Cli.Options;

/// <summary>The endpoints of the create request (docker's parseNetworkOpts and applyContainerOptions, API 1.44+).</summary>
internal sealed partial class ContainerOptions
{
    /// <summary>
    /// One endpoint per --network; --network-alias, --link, --ip, --ip6, --mac-address and --link-local-ip go to the
    /// first. Without --network, an endpoint for "default"; a single network without endpoint settings gets none (the
    /// daemon makes it).
    /// </summary>
    Dictionary<string, EndpointSettings?> Endpoints()
    {
        var endpoints = new Dictionary<string, EndpointSettings?>(StringComparer.Ordinal);
        var networks = Network.Value;
        if (networks.Count == 0)
        {
            var n = new NetworkAttachment { Target = "default" };
            ApplyContainerOptions(n);
            endpoints["default"] = Endpoint(n);
        }
        bool userDefined = false, other = false;
        for (int i = 0; i < networks.Count; i++)
        {
            var n = networks[i];
            if (NetworkAttachment.IsUserDefined(n.Target))
                userDefined = true;
            else
                other = true;
            if (i == 0)
                ApplyContainerOptions(n);
            var endpoint = Endpoint(n);
            if (endpoints.ContainsKey(n.Target))
                throw new CliException($"network \"{n.Target}\" is specified multiple times");
            if (i == 0 && networks.Count == 1 && IsEmpty(endpoint))
                continue;
            endpoints[n.Target] = endpoint;
        }
        if (userDefined && other)
            throw new CliException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
        return endpoints;
    }

    void ApplyContainerOptions(NetworkAttachment n)
    {
        if (n.Aliases.Count > 0 && NetworkAliases.Value.Count > 0)
            throw new CliException("conflicting options: cannot specify both --network-alias and per-network alias");
        if (n.Links.Count > 0 && Links.Value.Count > 0)
            throw new CliException("conflicting options: cannot specify both --link and per-network links");
        if (n.IPv4Address.Length > 0 && Ip.Value.Length > 0)
            throw new CliException("conflicting options: cannot specify both --ip and per-network IPv4 address");
        if (n.IPv6Address.Length > 0 && Ip6.Value.Length > 0)
            throw new CliException("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
        if (n.MacAddress.Length > 0 && MacAddress.Value.Length > 0)
            throw new CliException("conflicting options: cannot specify both --mac-address and per-network MAC address");
        if (n.LinkLocalIPs.Count > 0 && LinkLocalIps.Value.Count > 0)
            throw new CliException("conflicting options: cannot specify both --link-local-ip and per-network link-local IP addresses");
        if (NetworkAliases.Value.Count > 0)
            n.Aliases = [.. NetworkAliases.Value];
        // On a user-defined network a link is an alias of the endpoint; on the default bridge a legacy link only.
        if (NetworkAttachment.IsUserDefined(n.Target) && Links.Value.Count > 0)
            n.Links = [.. Links.Value];
        if (Ip.Value.Length > 0)
            n.IPv4Address = Ip.Value;
        if (Ip6.Value.Length > 0)
            n.IPv6Address = Ip6.Value;
        if (MacAddress.Value.Length > 0)
            n.MacAddress = MacAddress.Value;
        if (LinkLocalIps.Value.Count > 0)
            n.LinkLocalIPs = [.. LinkLocalIps.Value];
    }

    /// <summary>parseNetworkAttachmentOpt.</summary>
    static EndpointSettings Endpoint(NetworkAttachment n)
    {
        if (n.Target.Trim().Length == 0)
            throw new CliException("no name set for network");
        if (!NetworkAttachment.IsUserDefined(n.Target))
        {
            if (n.Aliases.Count > 0)
                throw new CliException("network-scoped aliases are only supported for user-defined networks");
            if (n.Links.Count > 0)
                throw new CliException("links are only supported for user-defined networks");
        }
        var endpoint = new EndpointSettings
        {
            GwPriority = n.GwPriority,
            Aliases = n.Aliases.Count > 0 ? [.. n.Aliases] : null,
            DriverOpts = n.DriverOpts is { Count: > 0 } opts ? new Dictionary<string, string>(opts, StringComparer.Ordinal) : null,
            Links = n.Links.Count > 0 ? n.Links : null,
        };
        if (n.IPv4Address.Length > 0 || n.IPv6Address.Length > 0 || n.LinkLocalIPs.Count > 0)
        {
            endpoint.IPAMConfig = new EndpointIPAMConfig
            {
                IPv4Address = n.IPv4Address.Length > 0 ? n.IPv4Address : null,
                IPv6Address = n.IPv6Address.Length > 0 ? n.IPv6Address : null,
                LinkLocalIPs = n.LinkLocalIPs.Count > 0 ? n.LinkLocalIPs : null,
            };
        }
        if (n.MacAddress.Length > 0)
        {
            ValidateMac(n.MacAddress);
            endpoint.MacAddress = n.MacAddress;
        }
        return endpoint;
    }

    static bool IsEmpty(EndpointSettings e) =>
        e.IPAMConfig is null && e.Links is null && e.Aliases is null && e.DriverOpts is null && e.GwPriority == 0 && e.MacAddress.Length == 0;

    /// <summary>net.ParseMAC of the trimmed text: 6, 8 or 20 octets as "xx:xx..", "xx-xx.." or "xxxx.xxxx..".</summary>
    static void ValidateMac(string mac)
    {
        string s = mac.Trim();
        int octets = Mac().IsMatch(s) ? (s.Length + 1) / 3 : MacDotted().IsMatch(s) ? 2 * (s.Length + 1) / 5 : 0;
        if (octets is not (6 or 8 or 20))
            throw new CliException($"{mac} is not a valid mac address");
    }

    [GeneratedRegex(@"^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2})*$")]
    private static partial Regex Mac();

    [GeneratedRegex(@"^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4})*$")]
    private static partial Regex MacDotted();
}
