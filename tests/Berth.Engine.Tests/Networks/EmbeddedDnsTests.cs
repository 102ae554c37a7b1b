using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Dns;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Networks;

/// <summary>
/// The embedded DNS server in a network namespace of the test's own (only "lo", as a container's before its veths),
/// asked over UDP and TCP from inside it; names it does not know go to a small upstream server the test runs on the
/// host's loopback.
/// </summary>
public sealed class EmbeddedDnsTests : IDisposable
{
    static readonly IPEndPoint Server = new(EmbeddedDns.Address, 53);
    static readonly IPAddress[] Web = [IPAddress.Parse("172.30.0.2"), IPAddress.Parse("172.30.0.3")];
    static readonly IPAddress[] Many = [.. Enumerable.Range(2, 60).Select(i => new IPAddress([172, 30, 1, (byte)i]))];
    static readonly IPAddress[] Big = [.. Enumerable.Range(2, 100).Select(i => new IPAddress([198, 51, 100, (byte)i]))];

    readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-test-dns-{Guid.NewGuid():N}"[..32]);
    readonly string _path;
    readonly NetworkNamespace _ns;

    public EmbeddedDnsTests()
    {
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "ns");
        _ns = NetworkNamespace.Create(_path);
    }

    public void Dispose()
    {
        _ns.Dispose();
        NetworkNamespace.Delete(_path);
        Directory.Delete(_directory, recursive: true);
    }

    EmbeddedDns Start(IReadOnlyList<IPEndPoint> upstream, TimeSpan? idle = null) =>
        EmbeddedDns.Start(_ns, Resolve, _ => null, upstream, idle ?? TimeSpan.FromMinutes(5));

    static IReadOnlyList<IPAddress>? Resolve(string name) => name switch
    {
        "one" => [Web[0]],
        "web" => Web,
        "many" => Many,
        _ => null,
    };

    /// <summary>How many A records fit in <paramref name="limit"/> bytes after the question (the answer has no OPT record).</summary>
    static int Fitting(string name, int limit) => (limit - DnsProbe.Query(name, 1).Length) / 16;

    static List<string> Sorted(IEnumerable<IPAddress> addresses) => [.. addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Names_are_answered_over_tcp_several_on_one_connection_and_udp_answers_too_big_are_cut_to_the_client_s_size()
    {
        using var dns = Start([]);
        using (var tcp = DnsProbe.Tcp(Server, _ns))
        {
            var one = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("one", 1));
            Assert.Equal((1, false, 0), (one.Id, one.Truncated, one.ResponseCode));
            Assert.Equal([Web[0]], one.Addresses);
            // Both behind one alias, in turn: each first in some answer on the same connection.
            var first = new HashSet<IPAddress>();
            for (ushort id = 2; id < 40 && first.Count < 2; id++)
            {
                var web = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("WEB", id));
                Assert.Equal(id, web.Id);
                Assert.Equal(Sorted(Web), Sorted(web.Addresses));
                first.Add(web.Addresses[0]);
            }
            Assert.Equal(2, first.Count);
            var many = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("many", 50));
            Assert.False(many.Truncated);
            Assert.Equal(Sorted(Many), Sorted(many.Addresses));
        }

        using var udp = DnsProbe.Udp(Server, _ns);
        var plain = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("many", 60));
        Assert.True(plain.Truncated);
        Assert.True(plain.Length <= 512, $"{plain.Length} bytes over UDP to a client without EDNS0");
        Assert.Equal(Fitting("many", 512), plain.Addresses.Count);
        Assert.Subset(Many.ToHashSet(), plain.Addresses.ToHashSet());
        var offered = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("many", 61, udpSize: 4096));
        Assert.False(offered.Truncated);
        Assert.Equal(Sorted(Many), Sorted(offered.Addresses));
        var small = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("many", 62, udpSize: 700));
        Assert.True(small.Truncated);
        Assert.Equal(Fitting("many", 700), small.Addresses.Count);
        Assert.False((await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("web", 63))).Truncated);
    }

    [Fact]
    public async Task Other_names_go_upstream_over_tcp_from_tcp_and_a_truncated_udp_answer_is_asked_again_over_tcp()
    {
        using var upstream = new TestDnsServer(IPAddress.Loopback, 0, "big.example", Big);
        using var dns = Start([upstream.EndPoint]);

        using (var tcp = DnsProbe.Tcp(Server, _ns))
        {
            var big = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("big.example", 1));
            Assert.False(big.Truncated);
            Assert.Equal(Big, big.Addresses);
            Assert.Equal(TestDnsServer.FullAnswerLength("big.example", Big.Length), big.Length);
            var missing = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("nosuch.example", 2));
            Assert.Equal(3, missing.ResponseCode);
            Assert.Equal((0, 2), (upstream.UdpQueries, upstream.TcpQueries));
        }

        using var udp = DnsProbe.Udp(Server, _ns);
        // The upstream cuts at 512 bytes whatever the client offers: the whole answer comes from asking it again over TCP.
        var offered = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("big.example", 3, udpSize: 4096));
        Assert.False(offered.Truncated);
        Assert.Equal(Big, offered.Addresses);
        Assert.Equal((1, 3), (upstream.UdpQueries, upstream.TcpQueries));
        // A client that takes 512 bytes gets what fits, and TC.
        var plain = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query("big.example", 4));
        Assert.True(plain.Truncated);
        Assert.True(plain.Length <= 512, $"{plain.Length} bytes over UDP to a client without EDNS0");
        Assert.Equal(Big[..Fitting("big.example", 512)], plain.Addresses);
    }

    [Fact]
    public async Task Dispose_closes_both_sockets_and_every_open_connection()
    {
        var dns = Start([]);
        using var tcp = DnsProbe.Tcp(Server, _ns);
        Assert.Single((await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("one", 1))).Addresses);
        Assert.NotEmpty(Sockets("tcp"));
        Assert.NotEmpty(Sockets("udp"));

        dns.Dispose();
        var buffer = new byte[1];
        int read;
        try
        {
            read = await tcp.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            read = 0;
        }
        Assert.Equal(0, read);
        Assert.Empty(Sockets("tcp"));
        Assert.Empty(Sockets("udp"));
        var refused = Assert.Throws<SocketException>(() => DnsProbe.Tcp(Server, _ns).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        // The address is free again: a container's resolver comes back after a daemon restart.
        Start([]).Dispose();
    }

    [Fact]
    public async Task An_idle_connection_is_closed_by_the_server()
    {
        using var dns = Start([], idle: TimeSpan.FromMilliseconds(200));
        using var tcp = DnsProbe.Tcp(Server, _ns);
        Assert.Single((await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("one", 1))).Addresses);
        int read = await tcp.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, read);
    }

    /// <summary>
    /// The namespace's sockets at 127.0.0.11:53 that a descriptor still holds, from its /proc/net tables: a closed
    /// connection the kernel keeps a while (FIN_WAIT, TIME_WAIT) has inode 0 there.
    /// </summary>
    List<string> Sockets(string protocol) => _ns.Run(() => File.ReadAllLines($"/proc/thread-self/net/{protocol}")
        .Skip(1)
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(fields => fields[1] == "0B00007F:0035" && fields[9] != "0")
        .Select(fields => string.Join(' ', fields[1..4]))
        .ToList());
}
