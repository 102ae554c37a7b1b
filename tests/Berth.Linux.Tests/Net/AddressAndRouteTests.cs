using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

/// <summary>Addresses and routes set inside a private namespace, where nothing can disturb the host.</summary>
public sealed class AddressAndRouteTests
{
    [Fact]
    public void An_ipv6_address_is_usable_at_once_and_its_prefix_is_routed()
    {
        using var scratch = new NetScratch();
        using var ns = NetworkNamespace.Create(scratch.Namespace("ns"));
        using var netlink = ns.Run(Netlink.Open);
        ns.Run(() => Sysctl.Write("net.ipv6.conf.default.disable_ipv6", "0"));
        netlink.CreateBridge("br0");
        int index = netlink.IndexOf("br0");
        netlink.SetUp(index);
        var address = IPAddress.Parse("fd00:b7:1::1");

        netlink.AddAddress(index, address, 64);

        Assert.Contains(new AddressInfo(index, address, 64), netlink.Addresses());
        var ip = IpTool.Json(ns.Path, "addr", "show", "dev", "br0")[0].GetProperty("addr_info").EnumerateArray()
            .Single(a => a.GetProperty("local").GetString() == address.ToString());
        Assert.Equal(64, ip.GetProperty("prefixlen").GetInt32());
        Assert.False(ip.TryGetProperty("tentative", out _), "the address waits for duplicate address detection");
        Assert.Contains(new RouteInfo(new IPNetwork(IPAddress.Parse("fd00:b7:1::"), 64), null, index), netlink.Routes(AddressFamily.InterNetworkV6));
        Assert.DoesNotContain(netlink.Routes(AddressFamily.InterNetwork), r => r.Destination.BaseAddress.AddressFamily != AddressFamily.InterNetwork);
    }

    [Fact]
    public void Routes_through_a_gateway_and_on_a_device_are_listed_as_ip_lists_them()
    {
        using var scratch = new NetScratch();
        using var ns = NetworkNamespace.Create(scratch.Namespace("ns"));
        using var netlink = ns.Run(Netlink.Open);
        netlink.CreateVeth("a0", "b0");
        int a0 = netlink.IndexOf("a0");
        netlink.SetUp(a0);
        netlink.SetUp(netlink.IndexOf("b0"));
        netlink.AddAddress(a0, IPAddress.Parse("10.1.2.2"), 24);

        netlink.AddRoute(new IPNetwork(IPAddress.Parse("10.9.0.0"), 16), IPAddress.Parse("10.1.2.1"));
        netlink.AddRoute(new IPNetwork(IPAddress.Parse("192.168.77.0"), 24), null, a0);
        netlink.AddDefaultRoute(IPAddress.Parse("10.1.2.1"));

        var routes = netlink.Routes(AddressFamily.InterNetwork);
        Assert.Contains(new RouteInfo(new IPNetwork(IPAddress.Parse("10.9.0.0"), 16), IPAddress.Parse("10.1.2.1"), a0), routes);
        Assert.Contains(new RouteInfo(new IPNetwork(IPAddress.Parse("192.168.77.0"), 24), null, a0), routes);
        Assert.Contains(new RouteInfo(new IPNetwork(IPAddress.Any, 0), IPAddress.Parse("10.1.2.1"), a0), routes);
        var ip = IpTool.Json(ns.Path, "route", "show").EnumerateArray()
            .Select(r => (r.GetProperty("dst").GetString(), r.TryGetProperty("gateway", out var g) ? g.GetString() : null, r.GetProperty("dev").GetString()))
            .ToList();
        Assert.Contains(("10.9.0.0/16", "10.1.2.1", "a0"), ip);
        Assert.Contains(("192.168.77.0/24", null, "a0"), ip);
        Assert.Contains(("default", "10.1.2.1", "a0"), ip);
        Assert.Equal(ip.Count, routes.Count);

        var e = Assert.Throws<LinuxException>(() => netlink.AddDefaultRoute(IPAddress.Parse("10.1.2.1")));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Contains("add route 0.0.0.0/0 via 10.1.2.1", e.Message);
    }
}
