using System.Net;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// The embedded DNS of a user-defined network over TCP and UDP, asked from inside a container's network namespace by
/// the test itself (busybox has no DNS client that speaks TCP). Names no container has go to a small upstream server
/// the test runs on a loopback address of its own, at port 53 as --dns servers are asked.
/// </summary>
public sealed class NetworkDnsTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;
    const string BigName = "big.berth-test";
    static readonly IPEndPoint Resolver = new(IPAddress.Parse("127.0.0.11"), 53);
    static readonly IPAddress[] Big = [.. Enumerable.Range(2, 100).Select(i => new IPAddress([198, 51, 100, (byte)i]))];

    [Fact]
    public async Task A_container_s_names_answer_over_tcp_and_an_answer_too_big_for_udp_comes_truncated_there_and_whole_over_tcp()
    {
        string net = TestIds.New("net-dns");
        string web1 = TestIds.New("web1"), web2 = TestIds.New("web2"), client = TestIds.New("client");
        using var upstream = new TestDnsServer(new IPAddress([127, 53, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]), 53, BigName, Big);
        try
        {
            _d.Cli("network", "create", net).EnsureSuccess("network create");
            _d.Cli("run", "-d", "--name", web1, "--network", net, "--network-alias", "web", Image, "sleep", "300").EnsureSuccess("run web1");
            _d.Cli("run", "-d", "--name", web2, "--network", net, "--network-alias", "web", Image, "sleep", "300").EnsureSuccess("run web2");
            _d.Cli("run", "-d", "--name", client, "--network", net, "--dns", upstream.EndPoint.Address.ToString(), Image, "sleep", "300").EnsureSuccess("run client");
            string ip1 = _d.Inspect(web1, $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}");
            string ip2 = _d.Inspect(web2, $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}");
            using var ns = NetworkNamespace.OfProcess(int.Parse(_d.Inspect(client, "{{.State.Pid}}")));

            using (var tcp = DnsProbe.Tcp(Resolver, ns))
            {
                var byName = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query(web1, 1));
                Assert.Equal((1, false, 0), (byName.Id, byName.Truncated, byName.ResponseCode));
                Assert.Equal([ip1], byName.Addresses.Select(a => a.ToString()));
                Assert.Equal([ip2], (await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query($"{web2}.{net}", 2))).Addresses.Select(a => a.ToString()));
                // Both behind the alias, in turn, on the same connection.
                var first = new HashSet<string>();
                for (ushort id = 3; id < 40 && first.Count < 2; id++)
                {
                    var alias = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query("web", id));
                    Assert.Equal([ip1, ip2], alias.Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal));
                    first.Add(alias.Addresses[0].ToString());
                }
                Assert.Equal(2, first.Count);

                var big = await DnsProbe.OverTcpAsync(tcp, DnsProbe.Query(BigName, 50));
                Assert.False(big.Truncated);
                Assert.Equal(Big, big.Addresses);
                Assert.True(upstream.TcpQueries > 0, "a query over TCP is forwarded over TCP");
            }

            using var udp = DnsProbe.Udp(Resolver, ns);
            var plain = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query(BigName, 60));
            Assert.True(plain.Truncated, "an answer of 100 addresses is cut for a client that takes 512 bytes");
            Assert.True(plain.Length <= 512, $"{plain.Length} bytes over UDP to a client without EDNS0");
            Assert.Equal(Big[..plain.Addresses.Count], plain.Addresses);
            var offered = await DnsProbe.OverUdpAsync(udp, DnsProbe.Query(BigName, 61, udpSize: 4096));
            Assert.False(offered.Truncated);
            Assert.Equal(Big, offered.Addresses);

            // After a daemon restart the resolver is served again, TCP included (a connection the old daemon had open
            // lingers in the namespace).
            using var lingering = DnsProbe.Tcp(Resolver, ns);
            Assert.Single((await DnsProbe.OverTcpAsync(lingering, DnsProbe.Query(web1, 70))).Addresses);
            _d.Kill();
            _d.Start();
            using var again = DnsProbe.Tcp(Resolver, ns);
            Assert.Equal([ip1], (await DnsProbe.OverTcpAsync(again, DnsProbe.Query(web1, 71))).Addresses.Select(a => a.ToString()));
        }
        finally
        {
            _d.Cli("rm", "-f", web1, web2, client);
            _d.Cli("network", "rm", net);
        }
    }
}
