using System.Net;
using Berth.Linux;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

/// <summary>The Linux bridges behind bridge networks: made with their gateway address, up; removed with the network.</summary>
public static class Bridges
{
    /// <summary>
    /// Makes the bridge unless it exists, and gives it the gateway address unless it has it (after a reboot, or made by
    /// hand); on an IPv6 network also the IPv6 gateway, with IPv6 enabled on the bridge (as dockerd's setupBridgeIPv6).
    /// </summary>
    public static void Ensure(string name, IPAddress gateway, int prefixLength, int mtu, (IPAddress Gateway, int PrefixLength)? v6 = null)
    {
        using var netlink = Netlink.Open();
        if (!netlink.TryIndexOf(name, out int index))
        {
            netlink.CreateBridge(name, mtu);
            index = netlink.IndexOf(name);
        }
        var addresses = netlink.Addresses();
        if (!addresses.Any(a => a.Index == index && a.Address.Equals(gateway)))
            netlink.AddAddress(index, gateway, prefixLength);
        if (v6 is (var gateway6, var prefix6))
        {
            EnableIPv6(name);
            if (!addresses.Any(a => a.Index == index && a.Address.Equals(gateway6)))
                netlink.AddAddress(index, gateway6, prefix6);
        }
        netlink.SetUp(index);
    }

    /// <summary>
    /// disable_ipv6=0 on the interface (in the calling thread's namespace): with IPv6 disabled (a host's default, or
    /// a namespace that inherits one) the kernel refuses IPv6 addresses on it.
    /// </summary>
    public static void EnableIPv6(string link)
    {
        // The slash form: a bridge name may contain a dot.
        string key = $"net/ipv6/conf/{link}/disable_ipv6";
        if (Sysctl.Read(key) != "0")
            Sysctl.Write(key, "0");
    }

    public static void Delete(string name)
    {
        using var netlink = Netlink.Open();
        netlink.TryDeleteLink(name);
    }

    /// <summary>The host's routes and addresses, IPv4 and IPv6: a new network's subnet must overlap none of them.</summary>
    public static IEnumerable<IPNetwork> HostRoutes()
    {
        using var netlink = Netlink.Open();
        var routes = netlink.Routes(System.Net.Sockets.AddressFamily.Unspecified)
            .Where(r => r.Destination.PrefixLength > 0)
            .Select(r => r.Destination)
            .ToList();
        foreach (var a in netlink.Addresses())
        {
            if (!IPAddress.IsLoopback(a.Address))
                routes.Add(new IPNetwork(a.Address, a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
        }
        return routes;
    }
}
