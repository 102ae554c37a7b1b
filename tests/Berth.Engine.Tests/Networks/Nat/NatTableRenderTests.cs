using System.Net;
using Berth.Engine.Networks.Nat;

namespace Berth.Engine.Tests.Networks.Nat;

/// <summary>The text of a bridge's table: exact, so that a change of the rules is a visible change of a test.</summary>
public class NatTableRenderTests
{
    static readonly IPNetwork Subnet = IPNetwork.Parse("10.88.3.0/24");
    static readonly IPAddress Web = IPAddress.Parse("10.88.3.2");
    static readonly IPAddress Dns = IPAddress.Parse("10.88.3.3");

    static BridgeNat Nat(bool @internal = false, bool masquerade = true, params PublishedPort[] ports) =>
        new("br-0a1b2c3d4e5f", Subnet, @internal, masquerade, ports);

    [Fact]
    public void TableIsNamedAfterTheBridge() => Assert.Equal("berth-br-0a1b2c3d4e5f", NatTable.TableName("br-0a1b2c3d4e5f"));

    [Theory]
    [InlineData("")]
    [InlineData("br0 ; flush")]
    [InlineData("br\"0")]
    [InlineData("a-name-too-long-for-linux")]
    public void NameThatIsNoSafeNftIdentifierIsRefused(string bridge) =>
        Assert.Throws<ArgumentException>(() => NatTable.TableName(bridge));

    [Fact]
    public void NetworkWithPortsGetsMapsDnatMasqueradeLoopbackAndHairpin()
    {
        var nat = Nat(ports:
        [
            new PublishedPort("udp", null, 5353, Dns, 53),
            new PublishedPort("tcp", IPAddress.Parse("127.0.0.1"), 8081, Web, 81),
            new PublishedPort("tcp", null, 8080, Web, 80),
            new PublishedPort("sctp", IPAddress.Any, 9999, Web, 9),
        ]);

        Assert.Equal("""
            add table ip berth-br-0a1b2c3d4e5f
            delete table ip berth-br-0a1b2c3d4e5f
            table ip berth-br-0a1b2c3d4e5f {
            	map address-ports {
            		type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service
            		elements = {
            			127.0.0.1 . tcp . 8081 : 10.88.3.2 . 81
            		}
            	}
            	map ports {
            		type inet_proto . inet_service : ipv4_addr . inet_service
            		elements = {
            			sctp . 9999 : 10.88.3.2 . 9,
            			tcp . 8080 : 10.88.3.2 . 80,
            			udp . 5353 : 10.88.3.3 . 53
            		}
            	}
            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}
            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}
            	chain published {
            		dnat to ip daddr . meta l4proto . th dport map @address-ports
            		dnat to meta l4proto . th dport map @ports
            	}
            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 10.88.3.0/24 oifname != "br-0a1b2c3d4e5f" masquerade
            		oifname "br-0a1b2c3d4e5f" ip saddr 127.0.0.0/8 masquerade
            		oifname "br-0a1b2c3d4e5f" ip saddr 10.88.3.0/24 ct status dnat masquerade
            	}
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		oifname "br-0a1b2c3d4e5f" iifname "br-0a1b2c3d4e5f" accept
            		oifname "br-0a1b2c3d4e5f" ct state established,related accept
            		oifname "br-0a1b2c3d4e5f" ct status dnat accept
            		oifname "br-0a1b2c3d4e5f" drop
            	}
            }

            """, NatTable.Render(nat));
    }

    [Fact]
    public void NetworkWithoutPortsMasqueradesAndIsIsolated()
    {
        Assert.Equal("""
            add table ip berth-br-0a1b2c3d4e5f
            delete table ip berth-br-0a1b2c3d4e5f
            table ip berth-br-0a1b2c3d4e5f {
            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 10.88.3.0/24 oifname != "br-0a1b2c3d4e5f" masquerade
            	}
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		oifname "br-0a1b2c3d4e5f" iifname "br-0a1b2c3d4e5f" accept
            		oifname "br-0a1b2c3d4e5f" ct state established,related accept
            		oifname "br-0a1b2c3d4e5f" ct status dnat accept
            		oifname "br-0a1b2c3d4e5f" drop
            	}
            }

            """, NatTable.Render(Nat()));
    }

    [Fact]
    public void PortsWithoutMasqueradeKeepLoopbackAndHairpinOnly()
    {
        string script = NatTable.Render(Nat(masquerade: false, ports: [new PublishedPort("tcp", null, 8080, Web, 80)]));

        Assert.DoesNotContain("oifname != ", script);
        Assert.Contains("oifname \"br-0a1b2c3d4e5f\" ip saddr 127.0.0.0/8 masquerade", script);
        Assert.Contains("ct status dnat masquerade", script);
        Assert.DoesNotContain("address-ports", script);
    }

    [Fact]
    public void InternalNetworkDropsWhatCrossesTheBridgeAndPublishesNothing()
    {
        var nat = Nat(@internal: true, masquerade: true, ports: [new PublishedPort("tcp", null, 8080, Web, 80)]);

        Assert.Equal("""
            add table ip berth-br-0a1b2c3d4e5f
            delete table ip berth-br-0a1b2c3d4e5f
            table ip berth-br-0a1b2c3d4e5f {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname "br-0a1b2c3d4e5f" oifname != "br-0a1b2c3d4e5f" drop
            		oifname "br-0a1b2c3d4e5f" iifname != "br-0a1b2c3d4e5f" drop
            	}
            }

            """, NatTable.Render(nat));
        Assert.False(NatTable.PublishesPorts(nat));
    }

    [Fact]
    public void NetworkWithoutMasqueradeOrPortsKeepsItsIsolationOnly()
    {
        string script = NatTable.Render(Nat(masquerade: false));
        Assert.DoesNotContain("postrouting", script);
        Assert.Contains("oifname \"br-0a1b2c3d4e5f\" drop", script);
        Assert.Equal(
            "add table ip berth-br-0a1b2c3d4e5f\ndelete table ip berth-br-0a1b2c3d4e5f\nadd table ip6 berth-br-0a1b2c3d4e5f\ndelete table ip6 berth-br-0a1b2c3d4e5f\n",
            NatTable.RenderDelete("br-0a1b2c3d4e5f"));
    }

    [Fact]
    public void OrderOfPortsDoesNotChangeTheText()
    {
        PublishedPort[] ports =
        [
            new("tcp", IPAddress.Parse("192.0.2.9"), 80, Web, 80),
            new("tcp", null, 443, Web, 443),
            new("TCP", IPAddress.Parse("127.0.0.1"), 80, Dns, 80),
            new("udp", null, 443, Dns, 443),
            new("tcp", null, 22, Web, 22),
        ];

        string forward = NatTable.Render(Nat(ports: ports));
        string backward = NatTable.Render(Nat(ports: [.. ports.Reverse()]));

        Assert.Equal(forward, backward);
        Assert.Contains("""
            			127.0.0.1 . tcp . 80 : 10.88.3.3 . 80,
            			192.0.2.9 . tcp . 80 : 10.88.3.2 . 80
            """, forward);
        Assert.Contains("""
            			tcp . 22 : 10.88.3.2 . 22,
            			tcp . 443 : 10.88.3.2 . 443,
            			udp . 443 : 10.88.3.3 . 443
            """, forward);
    }

    [Fact]
    public void SamePortTwiceToTheSameTargetIsOneElement()
    {
        var port = new PublishedPort("tcp", null, 8080, Web, 80);

        Assert.Equal(NatTable.Render(Nat(ports: [port])), NatTable.Render(Nat(ports: [port, port with { }])));
    }

    [Fact]
    public void SameHostPortToTwoTargetsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => NatTable.Render(Nat(ports:
            [new PublishedPort("tcp", null, 8080, Web, 80), new PublishedPort("tcp", null, 8080, Dns, 80)])));

        Assert.Contains("host port 0.0.0.0:8080/tcp is published twice", error.Message);
    }

    [Fact]
    public void SamePortNumberOnTwoProtocolsOrAddressesIsNoConflict()
    {
        string script = NatTable.Render(Nat(ports:
        [
            new PublishedPort("tcp", null, 53, Dns, 53),
            new PublishedPort("udp", null, 53, Dns, 53),
            new PublishedPort("tcp", IPAddress.Parse("127.0.0.1"), 53, Web, 53),
        ]));

        Assert.Contains("tcp . 53 : 10.88.3.3 . 53,", script);
        Assert.Contains("udp . 53 : 10.88.3.3 . 53", script);
        Assert.Contains("127.0.0.1 . tcp . 53 : 10.88.3.2 . 53", script);
    }

    [Fact]
    public void IPv6HostAddressesAreLeftToAnIp6Table()
    {
        string script = NatTable.Render(Nat(masquerade: false, ports: [new PublishedPort("tcp", IPAddress.IPv6Any, 8080, Web, 80)]));

        Assert.DoesNotContain("8080", script);
        Assert.DoesNotContain("dnat to", script);
    }

    [Theory]
    [InlineData("icmp", 80, 80)]
    [InlineData("tcp", 0, 80)]
    [InlineData("tcp", 80, 65536)]
    public void InvalidPortIsRefused(string protocol, int hostPort, int containerPort) =>
        Assert.Throws<ArgumentException>(() => NatTable.Render(Nat(ports: [new PublishedPort(protocol, null, hostPort, Web, containerPort)])));

    [Fact]
    public void IPv6SubnetOrContainerIsRefused()
    {
        Assert.Throws<ArgumentException>(() => NatTable.Render(Nat() with { Subnet = IPNetwork.Parse("fd00:1::/64") }));
        Assert.Throws<ArgumentException>(() => NatTable.Render(Nat(ports: [new PublishedPort("tcp", null, 80, IPAddress.Parse("fd00:1::2"), 80)])));
    }

    static readonly IPNetwork Subnet6 = IPNetwork.Parse("fd12:3456::/64");
    static readonly IPAddress Web6 = IPAddress.Parse("fd12:3456::2");

    [Fact]
    public void NetworkWithIPv6GetsAnIp6TableWithPortsOnEveryIPv6AddressMasqueradeAndIsolation()
    {
        var nat = Nat(ports:
        [
            new PublishedPort("tcp", null, 8080, Web, 80),
            new PublishedPort("tcp", IPAddress.IPv6Any, 8080, Web6, 80),
            new PublishedPort("udp", IPAddress.Parse("fd99::7"), 53, IPAddress.Parse("fd12:3456::3"), 53),
        ]) with { Subnet6 = Subnet6 };

        string script = NatTable.Render(nat);

        // The ip table is the IPv4 one as before; the ip6 one follows in the same transaction.
        Assert.StartsWith(NatTable.Render(Nat(ports: [new PublishedPort("tcp", null, 8080, Web, 80)])), script);
        Assert.EndsWith("""
            add table ip6 berth-br-0a1b2c3d4e5f
            delete table ip6 berth-br-0a1b2c3d4e5f
            table ip6 berth-br-0a1b2c3d4e5f {
            	map address-ports {
            		type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service
            		elements = {
            			fd99::7 . udp . 53 : fd12:3456::3 . 53
            		}
            	}
            	map ports {
            		type inet_proto . inet_service : ipv6_addr . inet_service
            		elements = {
            			tcp . 8080 : fd12:3456::2 . 80
            		}
            	}
            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}
            	chain output {
            		type nat hook output priority -100; policy accept;
            		ip6 daddr != ::1 fib daddr type local jump published
            	}
            	chain published {
            		dnat to ip6 daddr . meta l4proto . th dport map @address-ports
            		dnat to meta l4proto . th dport map @ports
            	}
            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip6 saddr fd12:3456::/64 oifname != "br-0a1b2c3d4e5f" masquerade
            		oifname "br-0a1b2c3d4e5f" ip6 saddr fd12:3456::/64 ct status dnat masquerade
            	}
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		oifname "br-0a1b2c3d4e5f" iifname "br-0a1b2c3d4e5f" accept
            		oifname "br-0a1b2c3d4e5f" ct state established,related accept
            		oifname "br-0a1b2c3d4e5f" ct status dnat accept
            		oifname "br-0a1b2c3d4e5f" drop
            	}
            }

            """, script);
    }

    [Fact]
    public void InternalIPv6NetworkDropsWhatCrossesTheBridgeInBothFamilies()
    {
        string script = NatTable.Render(Nat(@internal: true, ports: [new PublishedPort("tcp", IPAddress.IPv6Any, 80, Web6, 80)]) with { Subnet6 = Subnet6 });

        string ip6 = script[script.IndexOf("add table ip6", StringComparison.Ordinal)..];
        Assert.Equal("""
            add table ip6 berth-br-0a1b2c3d4e5f
            delete table ip6 berth-br-0a1b2c3d4e5f
            table ip6 berth-br-0a1b2c3d4e5f {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname "br-0a1b2c3d4e5f" oifname != "br-0a1b2c3d4e5f" drop
            		oifname "br-0a1b2c3d4e5f" iifname != "br-0a1b2c3d4e5f" drop
            	}
            }

            """, ip6);
    }

    [Fact]
    public void NetworkWithoutIPv6HasNoIp6TableAndAnIPv4SubnetIsNoIPv6One()
    {
        Assert.DoesNotContain("ip6", NatTable.Render(Nat()));
        Assert.Throws<ArgumentException>(() => NatTable.Render(Nat() with { Subnet6 = Subnet }));
        Assert.Throws<ArgumentException>(() => NatTable.Render(Nat(ports: [new PublishedPort("tcp", IPAddress.IPv6Any, 80, Web, 80)]) with { Subnet6 = Subnet6 }));
    }
}
