using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

public sealed class LinkChangeTests
{
    [Fact]
    public void Mtu_mac_address_and_name_of_a_veth_are_set_as_ip_sees_them()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string a = scratch.Link("a"), b = scratch.Link("b"), renamed = scratch.Link("r");

        netlink.CreateVeth(a, b, mtu: 1450);
        int index = netlink.IndexOf(a);
        Assert.Equal(1450, netlink.Links().Single(l => l.Name == b).Mtu);
        byte[] mac = [0x02, 0x42, 0xac, 0x11, 0x00, 0x07];
        netlink.SetMtu(index, 1300);
        netlink.SetMacAddress(index, mac);
        netlink.Rename(index, renamed);

        var link = netlink.Links().Single(l => l.Index == index);
        Assert.Equal((renamed, "veth", 1300), (link.Name, link.Kind, link.Mtu));
        Assert.Equal(mac, link.MacAddress);
        var ip = IpTool.Link(null, renamed);
        Assert.Equal("02:42:ac:11:00:07", ip.GetProperty("address").GetString());
        Assert.Equal(1300, ip.GetProperty("mtu").GetInt32());
        Assert.Equal("veth", ip.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.False(netlink.TryIndexOf(a, out _));

        // Deleting one end of a veth removes both.
        netlink.DeleteLink(index);
        Assert.False(netlink.TryIndexOf(b, out _));
    }

    [Fact]
    public void A_link_moved_into_a_namespace_leaves_the_host()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string a = scratch.Link("a"), b = scratch.Link("b");
        using var ns = NetworkNamespace.Create(scratch.Namespace("ns"));

        netlink.CreateVeth(a, b);
        netlink.MoveTo(netlink.IndexOf(b), ns);

        Assert.False(netlink.TryIndexOf(b, out _));
        using var inside = ns.Run(Netlink.Open);
        Assert.True(inside.TryIndexOf(b, out int moved));
        Assert.Equal("veth", inside.Links().Single(l => l.Index == moved).Kind);
        Assert.Equal(b, IpTool.Link(ns.Path, b).GetProperty("ifname").GetString());
    }

    [Fact]
    public void Enslaving_to_a_missing_master_names_the_link()
    {
        using var scratch = new NetScratch();
        using var netlink = Netlink.Open();
        string a = scratch.Link("a"), b = scratch.Link("b");
        netlink.CreateVeth(a, b);
        int missing = netlink.Links().Max(l => l.Index) + 1000;

        var e = Assert.Throws<LinuxException>(() => netlink.SetMaster(netlink.IndexOf(a), missing));
        Assert.Contains($"set master of link {a}", e.Message);
    }
}
