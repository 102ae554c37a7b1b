using System.Net;
using Berth.Engine.Model;

namespace Berth.Engine.Networks;

/// <summary>
/// IPv6 on user-defined bridge networks (<c>network create --ipv6</c>), dual stack as Docker's: the IPv4 subnet stays,
/// an IPv6 one is added; each endpoint gets an address of each (<c>--ip</c>, <c>--ip6</c>). The default bridge stays
/// IPv4-only.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>The network's IPv6 subnet, gateway and range; null unless the network has IPv6.</summary>
    static (IPNetwork Subnet, IPAddress Gateway, IPNetwork? Range)? Addressing6(Network network)
    {
        if (!network.EnableIPv6 || network.IPAM.Config?.FirstOrDefault(c => c.Subnet is not null && c.Subnet.Contains(':')) is not { } config)
            return null;
        var subnet = IPNetwork.Parse(config.Subnet!);
        var gateway = string.IsNullOrEmpty(config.Gateway) ? AddressPools.Nth(subnet, 1) : IPAddress.Parse(config.Gateway);
        IPNetwork? range = string.IsNullOrEmpty(config.IPRange) ? null : IPNetwork.Parse(config.IPRange);
        return (subnet, gateway, range);
    }

    /// <summary><c>--ip6</c> checked as dockerd 20.10 checks it (its texts).</summary>
    static void CheckedIPv6(Network network, string text)
    {
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || ip.IsIPv4MappedToIPv6
            || ip.Equals(IPAddress.IPv6Any) || ip.ScopeId != 0)
            throw EngineException.Invalid($"invalid IPv6 address: {text}");
        if (Addressing6(network) is not (var subnet, _, _))
            throw EngineException.Invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
        if (!subnet.Contains(ip))
            throw EngineException.Invalid($"Invalid address {ip}: It does not belong to any of this network's subnets");
    }

    /// <summary>The endpoint's IPv6 address, null when its network has none.</summary>
    static IPAddress? Address6(EndpointSettings settings) => IPAddress.TryParse(settings.GlobalIPv6Address, out var ip6) ? ip6 : null;

    /// <summary>
    /// The address asked for (<c>--ip</c>, <c>--ip6</c>) reserved, or the next free one. One that a stopped container's
    /// interface still holds (being deleted) is waited for; waiting under the lock is safe, as a removal does not take it.
    /// </summary>
    IPAddress Take(AddressAllocator allocator, string? wanted)
    {
        try
        {
            return TakeNow(allocator, wanted);
        }
        catch (EngineException) when (_removals.Running)
        {
            // Not waited for in the filter: it runs before the allocator's lock is let go, which a removal needs.
        }
        _removals.WaitAll();
        return TakeNow(allocator, wanted);
    }

    static IPAddress TakeNow(AddressAllocator allocator, string? wanted)
    {
        if (string.IsNullOrEmpty(wanted))
            return allocator.Allocate();
        var address = IPAddress.Parse(wanted);
        allocator.Reserve(address);
        return address;
    }
}
