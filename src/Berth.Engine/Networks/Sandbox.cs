using System.Net;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

/// <summary>
/// A container's network namespace, made and kept by the engine (a bind mount under &lt;exec-root&gt;/netns) before the
/// runtime starts the container in it, and its interfaces: one veth per network, the host side on the network's bridge.
/// </summary>
public static class Sandbox
{
    public static string PathOf(EngineOptions options, string containerId) => Path.Combine(options.ExecRoot, "netns", containerId[..12]);

    public static NetworkNamespace Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
            NetworkNamespace.Delete(path);
        return NetworkNamespace.Create(path);
    }

    /// <summary>Removes the namespace; its veths go with it (the kernel deletes a veth pair when one end's namespace ends).</summary>
    public static void Delete(string path) => NetworkNamespace.Delete(path);

    /// <summary>
    /// A namespace with a netlink socket on each side, opened once for all the interfaces of one start or connect
    /// (entering the namespace costs a thread).
    /// </summary>
    public sealed class Session(NetworkNamespace ns) : IDisposable
    {
        public NetworkNamespace Namespace { get; } = ns;

        public Netlink Host { get; } = Netlink.Open();

        public Netlink Inside { get; } = ns.Run(Netlink.Open);

        public void Dispose()
        {
            Host.Dispose();
            Inside.Dispose();
        }
    }

    /// <summary>An endpoint's IPv6 address on an IPv6 network, and the gateway of its default IPv6 route if it gets one.</summary>
    public readonly record struct V6(IPAddress Address, int PrefixLength, IPAddress? Gateway);

    /// <summary>
    /// Adds interface <paramref name="inside"/> to the namespace, on bridge <paramref name="bridge"/>, with its address, and
    /// with the default route when <paramref name="gateway"/> is given; on an IPv6 network also its IPv6 address (and
    /// default IPv6 route). The host side gets a random "veth" name, as Docker's.
    /// </summary>
    public static string Join(Session session, string bridge, string inside, IPAddress address, int prefixLength, IPAddress? gateway, byte[] mac, int mtu, V6? v6 = null)
    {
        string hostSide = "veth" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))[..7];
        var host = session.Host;
        int bridgeIndex = host.IndexOf(bridge);
        host.CreateVeth(hostSide, inside, session.Namespace, mtu);
        try
        {
            int index = host.IndexOf(hostSide);
            host.SetMaster(index, bridgeIndex);
            // A container reaching its own published port through a host address comes back by the same port.
            host.SetHairpin(index, true);
            host.SetUp(index);
            var netlink = session.Inside;
            int peer = netlink.IndexOf(inside);
            netlink.SetMacAddress(peer, mac);
            netlink.AddAddress(peer, address, prefixLength);
            if (v6 is { } six)
            {
                // Docker's bridge driver enables IPv6 on the interface of an IPv6 network; the address goes without DAD
                // (usable at once), as the endpoint's address is unique on its network by allocation.
                session.Namespace.Run(() => Bridges.EnableIPv6(inside));
                netlink.AddAddress(peer, six.Address, six.PrefixLength);
            }
            netlink.SetUp(peer);
            if (gateway is not null)
                netlink.AddDefaultRoute(gateway);
            if (v6?.Gateway is { } gateway6)
                netlink.AddDefaultRoute(gateway6);
        }
        catch
        {
            host.TryDeleteLink(hostSide);
            throw;
        }
        return hostSide;
    }

    /// <summary>Deletes the host ends of veths (their container ends go with them); ones already gone are skipped.</summary>
    public static void DeleteHostInterfaces(IEnumerable<string> names)
    {
        using var netlink = Netlink.Open();
        foreach (string name in names)
            netlink.TryDeleteLink(name);
    }

    /// <summary>Removes the namespace's interface with that MAC address (disconnect of a running container); its host side goes with it.</summary>
    public static void Leave(NetworkNamespace ns, string macAddress)
    {
        ns.Run(() =>
        {
            using var netlink = Netlink.Open();
            var link = netlink.Links().FirstOrDefault(l => MacText(l.MacAddress) == macAddress);
            if (link is not null)
                netlink.DeleteLink(link.Index);
        });
    }

    /// <summary>Docker's MAC for an address: 02:42 and the IPv4 address' four bytes (unique on the network, stable for the address).</summary>
    public static byte[] MacFor(IPAddress address)
    {
        var mac = new byte[6];
        mac[0] = 0x02;
        mac[1] = 0x42;
        address.TryWriteBytes(mac.AsSpan(2), out _);
        return mac;
    }

    public static string MacText(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2")));
}
