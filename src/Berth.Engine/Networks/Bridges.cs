using System.Net;
using Berth.Linux;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

/// <summary>The Linux bridges behind bridge networks: made with their gateway address, up; removed with the network.</summary>
public static class Bridges
{
    /// <summary>Makes the bridge unless it exists, and gives it the gateway address unless it has it (after a reboot, or made by hand).</summary>
    public static void Ensure(string name, IPAddress gateway, int prefixLength, int mtu)
    {
        using var netlink = Netlink.Open();
        if (!netlink.TryIndexOf(name, out int index))
        {
            netlink.CreateBridge(name, mtu);
            index = netlink.IndexOf(name);
        }
        if (!netlink.Addresses().Any(a => a.Index == index && a.Address.Equals(gateway)))
            netlink.AddAddress(index, gateway, prefixLength);
        netlink.SetUp(index);
    }

    public static void Delete(string name)
    {
        using var netlink = Netlink.Open();
        netlink.TryDeleteLink(name);
    }

    /// <summary>The host's routes and addresses: a new network's subnet must overlap none of them.</summary>
    public static IEnumerable<IPNetwork> HostRoutes()
    {
        using var netlink = Netlink.Open();
        var routes = netlink.Routes(System.Net.Sockets.AddressFamily.InterNetwork)
            .Where(r => r.Destination.PrefixLength > 0)
            .Select(r => r.Destination)
            .ToList();
        foreach (var a in netlink.Addresses())
        {
            if (a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
                routes.Add(new IPNetwork(a.Address, 32));
        }
        return routes;
    }
}
