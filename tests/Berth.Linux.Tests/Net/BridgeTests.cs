using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

public sealed class BridgeTests
{
    [Fact]
    public void A_bridge_is_created_brought_up_and_addressed_and_its_subnet_is_routed()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string bridge = scratch.Link("b");
        var subnet = NetScratch.FreeSubnet(netlink);
        var gateway = NetScratch.Host(subnet, 1);

        netlink.CreateBridge(bridge, mtu: 1400);
        int index = netlink.IndexOf(bridge);
        netlink.SetUp(index);
        netlink.AddAddress(index, gateway, 24);

        var link = Assert.Single(netlink.Links(), l => l.Name == bridge);
        Assert.Equal(("bridge", index, true, 1400, 0), (link.Kind, link.Index, link.Up, link.Mtu, link.MasterIndex));
        Assert.Equal(6, link.MacAddress.Length);
        Assert.Contains(new AddressInfo(index, gateway, 24), netlink.Addresses());
        Assert.Contains($"{gateway}/24", IpTool.Addresses(null, bridge));
        var ipLink = IpTool.Link(null, bridge);
        Assert.Equal("bridge", ipLink.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1400, ipLink.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", ipLink.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        // The kernel adds the prefix route itself once the bridge is up and has the address.
        Assert.Contains(new RouteInfo(new IPNetwork(subnet, 24), null, index), netlink.Routes(AddressFamily.InterNetwork));
        // Broadcast as `ip addr add ... brd +` sets it.
        var ipAddress = IpTool.Json(null, "addr", "show", "dev", bridge)[0].GetProperty("addr_info").EnumerateArray()
            .Single(a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal(NetScratch.Host(subnet, 255).ToString(), ipAddress.GetProperty("broadcast").GetString());

        netlink.SetDown(index);
        Assert.False(netlink.Links().Single(l => l.Index == index).Up);
        netlink.DeleteLink(index);
        Assert.False(netlink.TryIndexOf(bridge, out _));
    }

    [Fact]
    public void Creating_an_existing_link_fails_naming_it()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string bridge = scratch.Link("b");
        netlink.CreateBridge(bridge);

        var e = Assert.Throws<LinuxException>(() => netlink.CreateBridge(bridge));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Contains($"create bridge {bridge}", e.Message);
        Assert.Contains("file exists", e.Message, StringComparison.OrdinalIgnoreCase);

        var veth = Assert.Throws<LinuxException>(() => netlink.CreateVeth(bridge, scratch.Link("p")));
        Assert.Equal(Errno.EEXIST, veth.Errno);
        Assert.Contains(bridge, veth.Message);
    }

    [Fact]
    public void A_missing_link_is_named_in_the_error_and_deleting_it_is_not_one()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string missing = scratch.Link("x");

        Assert.False(netlink.TryIndexOf(missing, out _));
        var e = Assert.Throws<LinuxException>(() => netlink.IndexOf(missing));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Contains(missing, e.Message);
        Assert.False(netlink.TryDeleteLink(missing));
        Assert.Throws<ArgumentException>(() => netlink.CreateBridge("bt-" + new string('x', 13)));
    }

    [Fact]
    public void An_address_on_a_missing_link_fails_with_the_address_in_the_message()
    {
        using var netlink = Netlink.Open();
        int unused = netlink.Links().Max(l => l.Index) + 1000;
        var e = Assert.Throws<LinuxException>(() => netlink.AddAddress(unused, IPAddress.Parse("10.254.254.1"), 24));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Contains("10.254.254.1/24", e.Message);
    }
}
