using System.Net;
using Berth.Engine.Networks.Nat;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Networks.Nat;

/// <summary>
/// Tables applied for real to a bridge network made by hand (<see cref="BridgeLab"/>), and traffic through them:
/// published ports, hairpin, masquerade, internal networks.
/// </summary>
public class NatTablesTests
{
    readonly NatTables _tables = new();

    static PublishedPort Port(int hostPort, IPAddress container, IPAddress? hostIp = null) =>
        new("tcp", hostIp, hostPort, container, BridgeLab.ServerPort);

    [Fact]
    public void PublishedPortAnswersOnLoopbackOnTheHostAddressAndToContainersOfTheBridge()
    {
        using var lab = new BridgeLab();
        var (server, serverIp) = lab.AddContainer();
        var (neighbour, _) = lab.AddContainer();
        lab.Serve(server);
        using var reserved = BridgeLab.ReservePort(out int port);
        var hostIp = BridgeLab.HostAddress();

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, Internal: false, Masquerade: true, [Port(port, serverIp)]));

        Assert.Equal("1", File.ReadAllText($"/proc/sys/net/ipv4/conf/{lab.Bridge}/route_localnet").Trim());
        Assert.Equal(BridgeLab.Page, BridgeLab.Get(null, $"http://127.0.0.1:{port}/index.html").EnsureSuccess("GET 127.0.0.1").Stdout);
        Assert.Equal(BridgeLab.Page, BridgeLab.Get(null, $"http://{hostIp}:{port}/index.html").EnsureSuccess($"GET {hostIp}").Stdout);
        // Hairpin: the answer comes from where the question went, because the question came from the gateway.
        Assert.Equal(lab.Gateway.ToString(), BridgeLab.SourceSeenBy(server, hostIp, port));
        Assert.Equal(lab.Gateway.ToString(), BridgeLab.SourceSeenBy(neighbour, hostIp, port));
        Assert.Equal(BridgeLab.Page, BridgeLab.Get(neighbour, $"http://{hostIp}:{port}/index.html").EnsureSuccess("GET from the neighbour").Stdout);

        _tables.Remove(lab.Bridge);

        Assert.False(BridgeLab.TableExists(NatTable.TableName(lab.Bridge)));
        Assert.NotEqual(0, BridgeLab.Get(null, $"http://127.0.0.1:{port}/index.html").ExitCode);
    }

    [Fact]
    public void PortPublishedOnOneHostAddressAnswersThereOnly()
    {
        using var lab = new BridgeLab();
        var (server, serverIp) = lab.AddContainer();
        lab.Serve(server);
        using var reserved = BridgeLab.ReservePort(out int port);
        var hostIp = BridgeLab.HostAddress();

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true, [Port(port, serverIp, IPAddress.Loopback)]));

        Assert.Equal(BridgeLab.Page, BridgeLab.Get(null, $"http://127.0.0.1:{port}/index.html").EnsureSuccess("GET 127.0.0.1").Stdout);
        Assert.NotEqual(0, BridgeLab.Get(null, $"http://{hostIp}:{port}/index.html").ExitCode);
    }

    [Fact]
    public void MasqueradeGivesOutboundTrafficTheHostsAddress()
    {
        using var lab = new BridgeLab();
        var (container, containerIp) = lab.AddContainer();
        var (outside, outsideIp) = lab.AddOutside(routeBack: true);
        lab.Serve(outside);

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, Masquerade: true, []));
        // A fresh host forwards nothing; the table is useless until forwarding is on, so applying it turns it on.
        Assert.Equal("1", Sysctl.Read("net.ipv4.ip_forward").Trim());
        Assert.Equal(BridgeLab.Host(lab.OutsideSubnet, 1).ToString(), BridgeLab.SourceSeenBy(container, outsideIp, BridgeLab.ServerPort));

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, Masquerade: false, []));
        // Only the isolation is left: nothing masquerades.
        Assert.DoesNotContain("masquerade", Berth.Linux.Net.Nftables.Run($"list table ip {NatTable.TableName(lab.Bridge)}\n"));
        Assert.Equal(containerIp.ToString(), BridgeLab.SourceSeenBy(container, outsideIp, BridgeLab.ServerPort));
    }

    [Fact]
    public void InternalNetworkHasNoWayOutAndNoWayIn()
    {
        using var lab = new BridgeLab();
        var (container, containerIp) = lab.AddContainer();
        var (neighbour, _) = lab.AddContainer();
        var (outside, outsideIp) = lab.AddOutside(routeBack: true);
        lab.Serve(container);
        lab.Serve(outside);
        string toOutside = $"http://{outsideIp}:{BridgeLab.ServerPort}/index.html";
        string toContainer = $"http://{containerIp}:{BridgeLab.ServerPort}/index.html";
        // Without the table both ways are open: what stops them below is the table.
        BridgeLab.Get(container, toOutside).EnsureSuccess("GET outside before the table");
        BridgeLab.Get(outside, toContainer).EnsureSuccess("GET the container before the table");

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, Internal: true, Masquerade: true, []));

        string listing = Nftables.Run($"list table ip {NatTable.TableName(lab.Bridge)}");
        Assert.DoesNotContain("masquerade", listing);
        Assert.Contains($"iifname \"{lab.Bridge}\" oifname != \"{lab.Bridge}\" drop", listing);
        Assert.Contains($"oifname \"{lab.Bridge}\" iifname != \"{lab.Bridge}\" drop", listing);
        Assert.NotEqual(0, BridgeLab.Get(container, toOutside).ExitCode);
        Assert.NotEqual(0, BridgeLab.Get(outside, toContainer).ExitCode);
        // Inside the bridge, and between the host and the bridge, nothing changes.
        Assert.Equal(BridgeLab.Page, BridgeLab.Get(neighbour, toContainer).EnsureSuccess("GET from the neighbour").Stdout);
        Assert.Equal(BridgeLab.Page, BridgeLab.Get(null, toContainer).EnsureSuccess("GET from the host").Stdout);
    }

    [Fact]
    public void ApplyReplacesTheWholeTable()
    {
        using var lab = new BridgeLab();
        var a = BridgeLab.Host(lab.Subnet, 2);
        var b = BridgeLab.Host(lab.Subnet, 3);
        string table = NatTable.TableName(lab.Bridge);

        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true, [Port(40001, a), Port(40002, a, IPAddress.Loopback)]));
        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true, [Port(40003, b)]));

        string listing = Nftables.Run($"list table ip {table}");
        Assert.Contains($"tcp . 40003 : {b} . {BridgeLab.ServerPort}", listing);
        Assert.DoesNotContain("40001", listing);
        Assert.DoesNotContain("address-ports", listing);

        _tables.Remove(lab.Bridge);
        _tables.Remove(lab.Bridge);
        Assert.False(BridgeLab.TableExists(table));
    }

    [Fact]
    public void NetworkWithIPv6GetsAnIp6TableThatGoesWithTheIpOne()
    {
        using var lab = new BridgeLab();
        var subnet6 = IPNetwork.Parse("fd7e:5a1b:9c3d::/64");
        var web6 = IPAddress.Parse("fd7e:5a1b:9c3d::2");
        string table = NatTable.TableName(lab.Bridge);
        try
        {
            _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true,
                [Port(40001, BridgeLab.Host(lab.Subnet, 2)), Port(40001, web6, IPAddress.IPv6Any), Port(40002, web6, IPAddress.Parse("fd7e:5a1b:9c3d::1"))])
                { Subnet6 = subnet6 });

            string listing = Nftables.Run($"list table ip6 {table}");
            Assert.Contains($"tcp . 40001 : {web6} . {BridgeLab.ServerPort}", listing);
            Assert.Contains($"fd7e:5a1b:9c3d::1 . tcp . 40002 : {web6} . {BridgeLab.ServerPort}", listing);
            Assert.Contains($"ip6 saddr {subnet6} oifname != \"{lab.Bridge}\" masquerade", listing);
            Assert.Equal("1", Sysctl.Read("net.ipv6.conf.all.forwarding"));
            Assert.Contains($"tcp . 40001 : {BridgeLab.Host(lab.Subnet, 2)} . {BridgeLab.ServerPort}", Nftables.Run($"list table ip {table}"));
        }
        finally
        {
            _tables.Remove(lab.Bridge);
        }
        Assert.DoesNotContain(Nftables.Run("list tables\n").Split('\n'), l => l.Trim().EndsWith(" " + table, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusedTableLeavesThePreviousOneAndSaysWhichBridge()
    {
        using var lab = new BridgeLab();
        var a = BridgeLab.Host(lab.Subnet, 2);
        _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true, [Port(40001, a)]));

        var error = Assert.Throws<EngineException>(() => _tables.Apply(new BridgeNat(lab.Bridge, lab.Subnet, false, true,
            [Port(40001, a), Port(40001, BridgeLab.Host(lab.Subnet, 3))])));

        Assert.Equal(EngineErrorKind.InvalidParameter, error.Kind);
        Assert.Contains(lab.Bridge, error.Message);
        Assert.Contains($"tcp . 40001 : {a} . {BridgeLab.ServerPort}", Nftables.Run($"list table ip {NatTable.TableName(lab.Bridge)}"));
    }

    [Fact]
    public void PortsOnABridgeThatDoesNotExistAreRefusedBeforeAnyRule()
    {
        string bridge = $"bt-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            var error = Assert.Throws<EngineException>(() => _tables.Apply(new BridgeNat(bridge, IPNetwork.Parse("10.250.250.0/24"), false, true,
                [Port(40001, IPAddress.Parse("10.250.250.2"))])));

            Assert.Equal(EngineErrorKind.System, error.Kind);
            Assert.Contains($"route_localnet on bridge {bridge}", error.Message);
            Assert.False(BridgeLab.TableExists(NatTable.TableName(bridge)));
        }
        finally
        {
            _tables.Remove(bridge);
        }
    }
}
