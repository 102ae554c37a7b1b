using System.Net;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// The docker CLI (v28) against berthd's IPv6 bridge networks (<c>network create --ipv6</c>): dual-stack addresses,
/// <c>--ip6</c>, names answered with AAAA records, the IPv6 line of /etc/hosts, masquerade of the IPv6 subnet, internal
/// networks, connect and disconnect, ports published on [::], Docker's errors, and nothing left behind. Traffic goes
/// only to the test's containers, to its bridges' own addresses, and to an "outside" namespace the test makes.
/// </summary>
public sealed class NetworkIPv6Tests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    static string[] Httpd(string text) => ["sh", "-c", $"mkdir -p /www && echo hello-{text} > /www/index.html && exec busybox httpd -f -p 80 -h /www"];

    CommandResult Fetch(string container, string url) => _d.Cli("exec", container, "busybox", "timeout", "5", "busybox", "wget", "-q", "-O", "-", url);

    CommandResult Ping6(string container, string target) => _d.Cli("exec", container, "busybox", "ping", "-6", "-c", "1", "-W", "2", target);

    /// <summary>
    /// A random unique local /64 of the test's own, so that parallel runs never share one, written as Docker writes it
    /// ("fdXX:XXXX:XXXX:XXXX::", without leading zeros).
    /// </summary>
    static string NewPrefix()
    {
        byte[] bytes = new byte[16];
        bytes[0] = 0xfd;
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes.AsSpan(1, 7));
        return new IPAddress(bytes).ToString();
    }

    [Fact]
    public void Containers_on_an_ipv6_network_reach_each_other_by_address_and_name_and_the_outside_through_masquerade()
    {
        string net = TestIds.New("net6");
        string web = TestIds.New("web6"), client = TestIds.New("client6");
        string prefix = NewPrefix();
        using var outside = new OutsideNamespace();
        string bridge = "";
        try
        {
            _d.Cli("network", "create", "--ipv6", "--subnet", prefix + "/64", net).EnsureSuccess("network create --ipv6");
            bridge = "br-" + _d.Cli("network", "inspect", net, "--format", "{{.Id}}").Stdout.Trim()[..12];
            Assert.Equal($"true 2 {prefix}/64 {prefix}1", _d.Cli("network", "inspect", net, "--format",
                "{{.EnableIPv6}} {{len .IPAM.Config}} {{(index .IPAM.Config 1).Subnet}} {{(index .IPAM.Config 1).Gateway}}").EnsureSuccess("network inspect").Stdout.Trim());
            Assert.Contains(IPAddress.Parse(prefix + "1"), BridgeAddresses(bridge));

            _d.Cli(["run", "-d", "--name", web, "--network", net, Image, .. Httpd("six")]).EnsureSuccess("run web");
            _d.Cli("run", "-d", "--name", client, "--network", net, "--ip6", prefix + "99", Image, "sleep", "300").EnsureSuccess("run --ip6");

            string endpoint = $"{{{{with index .NetworkSettings.Networks \"{net}\"}}}}{{{{.GlobalIPv6Address}}}} {{{{.GlobalIPv6PrefixLen}}}} {{{{.IPv6Gateway}}}}{{{{end}}}}";
            Assert.Equal($"{prefix}2 64 {prefix}1", _d.Inspect(web, endpoint));
            Assert.Equal($"{prefix}99 64 {prefix}1", _d.Inspect(client, endpoint));
            string webId = _d.Inspect(web, "{{.Id}}");
            Assert.Equal($"{prefix}2/64", _d.Cli("network", "inspect", net, "--format", $"{{{{(index .Containers \"{webId}\").IPv6Address}}}}").Stdout.Trim());
            // dockerd writes the container's IPv6 address for its host name after the IPv4 one.
            string hosts = _d.Cli("exec", client, "cat", "/etc/hosts").EnsureSuccess("cat /etc/hosts").Stdout;
            Assert.Contains($"\n{prefix}99\t{_d.Inspect(client, "{{.Config.Hostname}}")}\n", hosts);
            Assert.Contains($"inet6 {prefix}99/64", _d.Cli("exec", client, "busybox", "ip", "-6", "addr", "show", "eth0").Stdout);
            Assert.Contains($"default via {prefix}1 dev eth0", _d.Cli("exec", client, "busybox", "ip", "-6", "route").Stdout);

            Wait.Until(() => Fetch(client, $"http://[{prefix}2]/").Stdout == "hello-six\n", "web answers on its IPv6 address");
            var aaaa = _d.Cli("exec", client, "busybox", "nslookup", "-type=AAAA", web, "127.0.0.11").EnsureSuccess("nslookup AAAA");
            Assert.Contains($"Address: {prefix}2", aaaa.Stdout);
            Assert.Contains($"PING {web} ({prefix}2)", Ping6(client, web).EnsureSuccess("ping -6 by name").Stdout);
            // An address asks for its ip6.arpa PTR record.
            Assert.Contains($"name = {web}.{net}", _d.Cli("exec", client, "busybox", "nslookup", prefix + "2", "127.0.0.11").EnsureSuccess("nslookup PTR").Stdout);

            // The outside namespace has no route back to the network's subnet: only a masqueraded packet gets an answer.
            Ping6(client, outside.Address.ToString()).EnsureSuccess("ping -6 out of the network");
        }
        finally
        {
            _d.Cli("rm", "-f", web, client);
            _d.Cli("network", "rm", net);
        }
        Assert.False(LinkExists(bridge), $"bridge {bridge} is removed with its network");
        Assert.DoesNotContain(NetworkLeftovers.Tables(), t => t.EndsWith(" berth-" + bridge, StringComparison.Ordinal));
    }

    [Fact]
    public void An_internal_ipv6_network_has_no_way_out_and_a_running_container_joins_and_leaves_an_ipv6_network()
    {
        string inner = TestIds.New("net6-int"), outer = TestIds.New("net6-out");
        string c = TestIds.New("c6"), server = TestIds.New("srv6");
        string innerPrefix = NewPrefix(), outerPrefix = NewPrefix();
        using var outside = new OutsideNamespace();
        try
        {
            _d.Cli("network", "create", "--ipv6", "--internal", "--subnet", innerPrefix + "/64", inner).EnsureSuccess("network create --ipv6 --internal");
            _d.Cli("network", "create", "--ipv6", "--subnet", outerPrefix + "/64", outer).EnsureSuccess("network create --ipv6");
            _d.Cli(["run", "-d", "--name", server, "--network", outer, Image, .. Httpd("outer")]).EnsureSuccess("run server");
            _d.Cli("run", "-d", "--name", c, "--network", inner, Image, "sleep", "300").EnsureSuccess("run on the internal network");

            Assert.Equal($"{innerPrefix}2 ||", _d.Inspect(c, $"{{{{with index .NetworkSettings.Networks \"{inner}\"}}}}{{{{.GlobalIPv6Address}}}} |{{{{.IPv6Gateway}}}}|{{{{end}}}}"));
            Assert.DoesNotContain("default", _d.Cli("exec", c, "busybox", "ip", "-6", "route").EnsureSuccess("ip -6 route").Stdout);
            Assert.NotEqual(0, Ping6(c, outside.Address.ToString()).ExitCode);
            Assert.NotEqual(0, Fetch(c, $"http://[{outerPrefix}2]/").ExitCode);

            _d.Cli("network", "connect", outer, c).EnsureSuccess("network connect");
            Assert.Equal($"{outerPrefix}3", _d.Inspect(c, $"{{{{(index .NetworkSettings.Networks \"{outer}\").GlobalIPv6Address}}}}"));
            Assert.Contains($"inet6 {outerPrefix}3/64", _d.Cli("exec", c, "busybox", "ip", "-6", "addr", "show", "eth1").Stdout);
            Wait.Until(() => Fetch(c, $"http://[{outerPrefix}2]/").Stdout == "hello-outer\n", "the server answers over IPv6 after connect");

            _d.Cli("network", "disconnect", outer, c).EnsureSuccess("network disconnect");
            Assert.NotEqual(0, Fetch(c, $"http://[{outerPrefix}2]/").ExitCode);
            Assert.Equal("1", _d.Cli("network", "inspect", outer, "--format", "{{len .Containers}}").Stdout.Trim());
            // Its address is free again: the next container gets the one after it, as Docker's allocator gives them.
            _d.Cli("network", "connect", outer, c).EnsureSuccess("network connect again");
            Assert.Equal($"{outerPrefix}4", _d.Inspect(c, $"{{{{(index .NetworkSettings.Networks \"{outer}\").GlobalIPv6Address}}}}"));
        }
        finally
        {
            _d.Cli("rm", "-f", c, server);
            _d.Cli("network", "rm", inner, outer);
        }
    }

    [Fact]
    public void A_port_published_on_an_ipv6_network_answers_on_the_host_s_ipv6_addresses_too()
    {
        string net = TestIds.New("net6-pub"), web = TestIds.New("pub6");
        string prefix = NewPrefix();
        try
        {
            _d.Cli("network", "create", "--ipv6", "--subnet", prefix + "/64", net).EnsureSuccess("network create --ipv6");
            _d.Cli(["run", "-d", "--name", web, "--network", net, "-p", "80", Image, .. Httpd("pub6")]).EnsureSuccess("run -p");
            var ports = _d.Cli("port", web, "80/tcp").EnsureSuccess("docker port").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, ports.Length);
            int hostPort = int.Parse(ports[0]["0.0.0.0:".Length..]);
            Assert.Equal($"[::]:{hostPort}", ports[1]);
            Assert.Equal($"0.0.0.0:{hostPort}->80/tcp, [::]:{hostPort}->80/tcp", _d.Cli("ps", "--filter", $"name={web}", "--format", "{{.Ports}}").Stdout.Trim());

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            // The bridge's IPv6 gateway is one of the host's own IPv6 addresses.
            Wait.Until(() => Get(http, $"http://[{prefix}1]:{hostPort}/") == "hello-pub6\n", "the published port answers on the host's IPv6 address");
            Assert.Equal("hello-pub6\n", Get(http, $"http://127.0.0.1:{hostPort}/"));
            // Hairpin over IPv6: the container reaches its own published port through a host address.
            Assert.Equal("hello-pub6\n", Fetch(web, $"http://[{prefix}1]:{hostPort}/").EnsureSuccess("hairpin wget over IPv6").Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", web);
            _d.Cli("network", "rm", net);
        }
    }

    [Fact]
    public void Bad_ipv6_input_gets_docker_s_errors_and_changes_nothing()
    {
        string net = TestIds.New("net6-bad"), plain = TestIds.New("net6-plain"), auto = TestIds.New("net6-auto");
        string prefix = NewPrefix();
        try
        {
            _d.Cli("network", "create", "--ipv6", "--subnet", prefix + "/64", net).EnsureSuccess("network create --ipv6");
            _d.Cli("network", "create", plain).EnsureSuccess("network create");
            var overlap = _d.Cli("network", "create", "--ipv6", "--subnet", prefix + "/80", net + "-2");
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
            var invalid = _d.Cli("network", "create", "--ipv6", "--subnet", "fd12:zz::/64", net + "-3");
            Assert.Contains("invalid CIDR address: fd12:zz::/64", invalid.Stderr);
            var notMasked = _d.Cli("network", "create", "--ipv6", "--subnet", prefix + "5/64", net + "-4");
            Assert.Contains($"invalid subnet {prefix}5/64: it should be {prefix}/64", notMasked.Stderr);

            var outside = _d.Cli("run", "--rm", "--network", net, "--ip6", "fd12:9999::5", Image, "true");
            Assert.Contains("Invalid address fd12:9999::5: It does not belong to any of this network's subnets", outside.Stderr);
            var notIPv6 = _d.Cli("run", "--rm", "--network", net, "--ip6", "10.0.0.1", Image, "true");
            Assert.Contains("invalid IPv6 address: 10.0.0.1", notIPv6.Stderr);
            var noIPv6Network = _d.Cli("run", "--rm", "--network", plain, "--ip6", prefix + "5", Image, "true");
            Assert.Contains("user specified IP address is supported only when connecting to networks with user configured subnets", noIPv6Network.Stderr);
            Assert.Equal("0", _d.Cli("network", "inspect", net, "--format", "{{len .Containers}}").Stdout.Trim());
            Assert.DoesNotContain(_d.Cli("network", "ls", "--format", "{{.Name}}").Stdout.Split('\n'), n => n.StartsWith(net + "-", StringComparison.Ordinal));

            // Without a subnet, as Docker 27: a /64 of the daemon's own unique local /48.
            _d.Cli("network", "create", "--ipv6", auto).EnsureSuccess("network create --ipv6 without a subnet");
            Assert.Matches(@"^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64$", _d.Cli("network", "inspect", auto, "--format", "{{(index .IPAM.Config 1).Subnet}}").Stdout.Trim());
            Assert.Equal("false", _d.Cli("network", "inspect", "bridge", "--format", "{{.EnableIPv6}}").Stdout.Trim());
        }
        finally
        {
            _d.Cli("network", "rm", net, plain, auto);
        }
    }

    static string? Get(HttpClient http, string url)
    {
        try
        {
            return http.GetStringAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    static IReadOnlyList<IPAddress> BridgeAddresses(string bridge)
    {
        using var netlink = Netlink.Open();
        int index = netlink.IndexOf(bridge);
        return [.. netlink.Addresses().Where(a => a.Index == index).Select(a => a.Address)];
    }

    static bool LinkExists(string name)
    {
        using var netlink = Netlink.Open();
        return name.Length > 0 && netlink.TryIndexOf(name, out _);
    }

    /// <summary>
    /// The "world" for a container: a network namespace behind a veth of its own, "&lt;prefix&gt;2" inside and
    /// "&lt;prefix&gt;1" on the host side, with no route anywhere else. Removed on dispose.
    /// </summary>
    sealed class OutsideNamespace : IDisposable
    {
        readonly string _id = Guid.NewGuid().ToString("N")[..8];
        readonly string _ip = HostTools.Require("ip", "iproute2");

        public OutsideNamespace()
        {
            string prefix = NewPrefix();
            Address = IPAddress.Parse(prefix + "2");
            try
            {
                Ip("netns", "add", Namespace);
                Ip("link", "add", HostSide, "type", "veth", "peer", "name", "eth0", "netns", Namespace);
                Ip("addr", "add", prefix + "1/64", "dev", HostSide, "nodad");
                Ip("link", "set", HostSide, "up");
                Ip("-n", Namespace, "addr", "add", prefix + "2/64", "dev", "eth0", "nodad");
                Ip("-n", Namespace, "link", "set", "eth0", "up");
                Ip("-n", Namespace, "link", "set", "lo", "up");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Namespace => $"berth-test-out6-{_id}";

        string HostSide => $"bt6o{_id}";

        public IPAddress Address { get; }

        void Ip(params string[] args) => ProcessRunner.Run(_ip, args).EnsureSuccess("ip " + string.Join(' ', args));

        public void Dispose()
        {
            ProcessRunner.Run(_ip, ["link", "del", HostSide]);
            ProcessRunner.Run(_ip, ["netns", "del", Namespace]);
        }
    }
}
