using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// The docker CLI (v28) against berthd's networks: the default bridge, user-defined bridges with names and aliases
/// from the embedded DNS, published ports (without a user-space proxy), internal networks, connect and disconnect,
/// and nothing left behind. Traffic goes only to the test's bridges, namespaces, loopback and the host's own address.
/// </summary>
public sealed class NetworkTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    /// <summary>A busybox web server answering "hello-&lt;text&gt;" on port 80.</summary>
    static string[] Httpd(string text) => ["sh", "-c", $"mkdir -p /www && echo hello-{text} > /www/index.html && exec busybox httpd -f -p 80 -h /www"];

    CommandResult Fetch(string container, string url) => _d.Cli("exec", container, "busybox", "timeout", "5", "busybox", "wget", "-q", "-O", "-", url);

    [Fact]
    public async Task A_container_on_the_default_bridge_has_its_address_and_reaches_a_server_on_the_host()
    {
        string name = TestIds.New("net-default");
        var gateway = IPAddress.Parse(_d.Cli("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}").EnsureSuccess("network inspect").Stdout.Trim());
        using var listener = new TcpListener(gateway, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nfrom-host"u8.ToArray());
        });
        try
        {
            _d.Cli("run", "-d", "--name", name, "--add-host", "hostgw:host-gateway", Image, "sleep", "300").EnsureSuccess("docker run -d");
            string ip = _d.Inspect(name, "{{.NetworkSettings.IPAddress}}");
            Assert.Equal(ip, _d.Inspect(name, "{{.NetworkSettings.Networks.bridge.IPAddress}}"));
            Assert.Equal(gateway.ToString(), _d.Inspect(name, "{{.NetworkSettings.Gateway}}"));
            Assert.Equal(_d.Cli("network", "inspect", "bridge", "--format", "{{.Id}}").Stdout.Trim(), _d.Inspect(name, "{{.NetworkSettings.Networks.bridge.NetworkID}}"));
            Assert.Contains($"inet {ip}/", _d.Cli("exec", name, "busybox", "ip", "-4", "addr", "show", "eth0").EnsureSuccess("ip addr").Stdout);
            string hosts = _d.Cli("exec", name, "cat", "/etc/hosts").Stdout;
            Assert.Contains($"{ip}\t", hosts);
            Assert.Contains($"{gateway}\thostgw\n", hosts);
            Assert.Equal("from-host", Fetch(name, $"http://{gateway}:{port}/").EnsureSuccess("wget to the host").Stdout);
            await served.WaitAsync(TimeSpan.FromSeconds(10));
            // stats reads the counters of the container's eth0 in its namespace.
            string netIo = _d.Cli("stats", "--no-stream", "--format", "{{.NetIO}}", name).EnsureSuccess("docker stats").Stdout.Trim();
            Assert.DoesNotContain("0B / 0B", netIo);
            Assert.Matches(@"^\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B$", netIo);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
        // The host side of its interface goes right after (berthd deletes it beside the rest of the removal).
        Wait.Until(() => BridgePorts(_d.Bridge).Count == 0, "the container's veth leaves the bridge");
        Assert.Empty(Directory.Exists(Path.Combine(_d.ExecRoot, "netns")) ? Directory.GetFiles(Path.Combine(_d.ExecRoot, "netns")) : []);
    }

    [Fact]
    public void Containers_on_a_user_network_reach_each_other_by_name_and_by_alias_and_the_network_goes_when_removed()
    {
        string net = TestIds.New("net-user");
        string web1 = TestIds.New("web1"), web2 = TestIds.New("web2"), client = TestIds.New("client");
        try
        {
            _d.Cli("network", "create", "--label", "k=v", net).EnsureSuccess("network create");
            string bridge = "br-" + _d.Cli("network", "inspect", net, "--format", "{{.Id}}").Stdout.Trim()[..12];
            _d.Cli(["run", "-d", "--name", web1, "--network", net, "--network-alias", "web", Image, .. Httpd("one")]).EnsureSuccess("run web1");
            _d.Cli(["run", "-d", "--name", web2, "--network", net, "--network-alias", "web", Image, .. Httpd("two")]).EnsureSuccess("run web2");
            // Names no container has are forwarded to the --dns servers: loopback here, where nothing answers.
            _d.Cli("run", "-d", "--name", client, "--network", net, "--dns", "127.0.0.1", Image, "sleep", "300").EnsureSuccess("run client");

            Assert.Equal("nameserver 127.0.0.11", _d.Cli("exec", client, "cat", "/etc/resolv.conf").Stdout.Split('\n')[0]);
            Wait.Until(() => Fetch(client, $"http://{web1}/").Stdout == "hello-one\n", "web1 answers by its name");
            Assert.Equal("hello-two\n", Fetch(client, $"http://{web2}/").EnsureSuccess("wget web2").Stdout);
            Assert.Equal("hello-one\n", Fetch(client, $"http://{web1}.{net}/").EnsureSuccess("wget name.network").Stdout);
            // Renamed: found by the new name at once, no longer by the old one.
            string renamed = web1 + "-new";
            _d.Cli("rename", web1, renamed).EnsureSuccess("rename");
            Assert.Equal("hello-one\n", Fetch(client, $"http://{renamed}/").EnsureSuccess("wget the new name").Stdout);
            Assert.NotEqual(0, Fetch(client, $"http://{web1}/").ExitCode);
            _d.Cli("rename", renamed, web1).EnsureSuccess("rename back");
            // Both behind one alias: the resolver answers both addresses, in turn.
            var seen = new HashSet<string>();
            for (int i = 0; i < 20 && seen.Count < 2; i++)
                seen.Add(Fetch(client, "http://web/").EnsureSuccess("wget the alias").Stdout);
            Assert.Equal(["hello-one\n", "hello-two\n"], seen.Order());

            var inspect = _d.Cli("network", "inspect", net, "--format", "{{.Driver}} {{.Labels.k}} {{len .Containers}}").EnsureSuccess("network inspect");
            Assert.Equal("bridge v 3", inspect.Stdout.Trim());
            var rm = _d.Cli("network", "rm", net);
            Assert.NotEqual(0, rm.ExitCode);
            Assert.Contains("has active endpoints", rm.Stderr);

            _d.Cli("rm", "-f", web1, web2, client).EnsureSuccess("rm");
            Wait.Until(() => BridgePorts(bridge).Count == 0, "the containers' veths leave the bridge");
            _d.Cli("network", "rm", net).EnsureSuccess("network rm");
            Assert.False(LinkExists(bridge), $"bridge {bridge} is removed with its network");
            Assert.DoesNotContain(NetworkLeftovers.Tables(), t => t.EndsWith("berth-" + bridge, StringComparison.Ordinal));
        }
        finally
        {
            _d.Cli("rm", "-f", web1, web2, client);
            _d.Cli("network", "rm", net);
        }
    }

    [Fact]
    public async Task A_static_address_is_free_for_the_next_container_the_moment_its_holder_is_removed()
    {
        // berthd deletes a stopped container's host interface beside the rest of its removal (the kernel takes 15-40 ms
        // for it): its address stays taken until the interface is gone, and a container started with that address
        // meanwhile waits for it instead of failing with "Address already in use", as it never fails with dockerd.
        string net = TestIds.New("net-static");
        var names = Enumerable.Range(0, 4).Select(i => TestIds.New($"static{i}")).ToList();
        try
        {
            _d.Cli("network", "create", "--subnet", "10.231.9.0/24", net).EnsureSuccess("network create");
            string bridge = "br-" + _d.Cli("network", "inspect", net, "--format", "{{.Id}}").Stdout.Trim()[..12];
            foreach (string name in names)
                _d.Cli("create", "--name", name, "--network", net, "--ip", "10.231.9.77", Image, "sleep", "300").EnsureSuccess("create with --ip");
            using var api = _d.Api();
            (await api.PostAsync($"/containers/{names[0]}/start", null)).EnsureSuccessStatusCode();
            // The API straight, not the CLI: the next start comes well within the previous interface's deletion.
            for (int i = 1; i < names.Count; i++)
            {
                (await api.DeleteAsync($"/containers/{names[i - 1]}?force=1")).EnsureSuccessStatusCode();
                var start = await api.PostAsync($"/containers/{names[i]}/start", null);
                Assert.True(start.IsSuccessStatusCode, $"start {i + 1}: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
                Assert.Contains("inet 10.231.9.77/24", _d.Cli("exec", names[i], "busybox", "ip", "-4", "-o", "addr", "show", "eth0").EnsureSuccess("ip addr").Stdout);
            }
            _d.Cli("rm", "-f", names[^1]).EnsureSuccess("rm");
            Wait.Until(() => BridgePorts(bridge).Count == 0, "the last container's veth leaves the bridge");
        }
        finally
        {
            _d.Cli(["rm", "-f", .. names]);
            _d.Cli("network", "rm", net);
        }
    }

    [Fact]
    public void A_published_port_answers_on_loopback_and_on_the_host_s_own_address_and_cannot_be_published_twice()
    {
        string web = TestIds.New("pub"), second = TestIds.New("pub2"), all = TestIds.New("puball");
        try
        {
            _d.Cli(["run", "-d", "--name", web, "-p", "80", Image, .. Httpd("published")]).EnsureSuccess("run -p");
            string port = _d.Cli("port", web, "80/tcp").EnsureSuccess("docker port").Stdout.Split('\n')[0];
            Assert.StartsWith("0.0.0.0:", port);
            int hostPort = int.Parse(port["0.0.0.0:".Length..]);
            Assert.Equal($"0.0.0.0:{hostPort}->80/tcp", _d.Cli("ps", "--filter", $"name={web}", "--format", "{{.Ports}}").Stdout.Trim());
            Assert.Equal(web, _d.Cli("ps", "--filter", $"publish={hostPort}/tcp", "--format", "{{.Names}}").Stdout.Trim());
            Assert.Contains(web, _d.Cli("ps", "--filter", "expose=80", "--filter", "network=bridge", "--format", "{{.Names}}").Stdout);
            Assert.Equal("", _d.Cli("ps", "--filter", $"name={web}", "--filter", "network=none", "--format", "{{.Names}}").Stdout.Trim());

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Wait.Until(() => Get(http, $"http://127.0.0.1:{hostPort}/") == "hello-published\n", "the published port answers on 127.0.0.1");
            var own = HostAddress();
            Assert.Equal("hello-published\n", Get(http, $"http://{own}:{hostPort}/"));

            var clash = _d.Cli("run", "-d", "--name", second, "-p", $"{hostPort}:80", Image, "sleep", "300");
            Assert.NotEqual(0, clash.ExitCode);
            Assert.Contains("address already in use", clash.Stderr);
            Assert.Equal("created", _d.Inspect(second, "{{.State.Status}}"));

            _d.Cli(["run", "-d", "--name", all, "--expose", "80", "--expose", "81/udp", "-P", Image, .. Httpd("all")]).EnsureSuccess("run -P");
            var ports = _d.Cli("port", all).EnsureSuccess("docker port").Stdout;
            Assert.Matches(@"^80/tcp -> 0\.0\.0\.0:\d+\n81/udp -> 0\.0\.0\.0:\d+\n$", ports);
            int allPort = int.Parse(ports.Split('\n')[0].Split(':')[1]);
            Wait.Until(() => Get(http, $"http://127.0.0.1:{allPort}/") == "hello-all\n", "-P's port answers");
            // Hairpin: a container reaches a neighbour's published port, and its own, through the host's address.
            Assert.Equal("hello-published\n", Fetch(all, $"http://{own}:{hostPort}/").EnsureSuccess("hairpin wget").Stdout);
            Assert.Equal("hello-published\n", Fetch(web, $"http://{own}:{hostPort}/").EnsureSuccess("hairpin wget to itself").Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", web, second, all);
        }
    }

    [Fact]
    public void Networks_are_isolated_an_internal_one_has_no_way_out_and_connect_and_disconnect_change_what_a_container_reaches()
    {
        string inner = TestIds.New("net-int"), outer = TestIds.New("net-out");
        string c = TestIds.New("c"), server = TestIds.New("srv"), probe = TestIds.New("probe");
        var own = HostAddress();
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
            _d.Cli("network", "create", "--internal", inner).EnsureSuccess("network create --internal");
            _d.Cli("network", "create", "--subnet", "10.231.7.0/24", outer).EnsureSuccess("network create --subnet");
            _d.Cli(["run", "-d", "--name", server, "--network", outer, "--ip", "10.231.7.50", Image, .. Httpd("server")]).EnsureSuccess("run server");
            Assert.Equal("10.231.7.50", _d.Inspect(server, $"{{{{(index .NetworkSettings.Networks \"{outer}\").IPAddress}}}}"));
            _d.Cli("run", "-d", "--name", c, "--network", inner, Image, "sleep", "300").EnsureSuccess("run on the internal network");

            // Networks are isolated from each other: the default bridge's container has a route (through the host) but is dropped.
            _d.Cli("run", "-d", "--name", probe, Image, "sleep", "300").EnsureSuccess("run on the default bridge");
            Assert.NotEqual(0, Fetch(probe, "http://10.231.7.50/").ExitCode);

            var noWayOut = Fetch(c, $"http://{own}:{port}/");
            Assert.NotEqual(0, noWayOut.ExitCode);
            Assert.NotEqual(0, Fetch(c, $"http://{server}/").ExitCode);

            _d.Cli("network", "connect", outer, c).EnsureSuccess("network connect");
            Assert.Equal("hello-server\n", Fetch(c, $"http://{server}/").EnsureSuccess("wget after connect").Stdout);
            Assert.Contains("eth1", _d.Cli("exec", c, "busybox", "ip", "link").Stdout);

            _d.Cli("network", "disconnect", outer, c).EnsureSuccess("network disconnect");
            Assert.NotEqual(0, Fetch(c, "http://10.231.7.50/").ExitCode);
            Assert.DoesNotContain(outer, _d.Inspect(c, "{{json .NetworkSettings.Networks}}"));

            // The network's events, as dockerd's: a container's start connects it, connect and disconnect say so.
            string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
            var events = _d.Cli("events", "--since", since, "--until", until, "--filter", $"network={outer}", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")
                .EnsureSuccess("docker events").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([$"network create {outer}", $"network connect {outer}", $"network connect {outer}", $"network disconnect {outer}"], events);
        }
        finally
        {
            _d.Cli("rm", "-f", c, server, probe);
            _d.Cli("network", "rm", inner, outer);
        }
    }

    [Fact]
    public void A_legacy_link_on_the_default_bridge_gives_the_alias_in_hosts_and_the_link_variables()
    {
        string db = TestIds.New("db"), app = TestIds.New("app");
        try
        {
            _d.Cli(["run", "-d", "--name", db, "--expose", "5432", "-e", "SECRET=s1", Image, .. Httpd("db")]).EnsureSuccess("run db");
            string ip = _d.Inspect(db, "{{.NetworkSettings.IPAddress}}");
            _d.Cli("run", "-d", "--name", app, "--link", $"{db}:data", Image, "sleep", "300").EnsureSuccess("run --link");
            Assert.Equal($"[/{db}:/{app}/data]", _d.Inspect(app, "{{.HostConfig.Links}}"));
            Assert.Contains($"{ip}\tdata ", _d.Cli("exec", app, "cat", "/etc/hosts").Stdout);
            var env = _d.Cli("exec", app, "env").Stdout.Split('\n');
            Assert.Contains($"DATA_NAME=/{app}/data", env);
            Assert.Contains($"DATA_PORT=tcp://{ip}:5432", env);
            Assert.Contains($"DATA_PORT_5432_TCP_ADDR={ip}", env);
            Assert.Contains("DATA_ENV_SECRET=s1", env);
            Assert.Equal("hello-db\n", Fetch(app, "http://data/").EnsureSuccess("wget through the link's alias").Stdout);

            var missing = _d.Cli("run", "--rm", "--link", "berth-test-nosuch:x", Image, "true");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("could not get container for berth-test-nosuch", missing.Stderr);
        }
        finally
        {
            _d.Cli("rm", "-f", app, db);
        }
    }

    [Fact]
    public void Bad_network_input_gets_docker_s_errors_and_changes_nothing()
    {
        string net = TestIds.New("net-bad");
        try
        {
            var missing = _d.Cli("run", "--rm", "--network", "berth-test-no-such-net", Image, "true");
            Assert.Equal(125, missing.ExitCode);
            Assert.Contains("network berth-test-no-such-net not found", missing.Stderr);

            var ipOnDefault = _d.Cli("run", "--rm", "--ip", "172.17.0.9", Image, "true");
            Assert.Contains("user specified IP address is supported on user defined networks only", ipOnDefault.Stderr);

            var notMasked = _d.Cli("network", "create", "--subnet", "10.231.8.5/24", net);
            Assert.Contains("invalid subnet 10.231.8.5/24: it should be 10.231.8.0/24", notMasked.Stderr);
            _d.Cli("network", "create", "--subnet", "10.231.8.0/24", net).EnsureSuccess("network create");
            var overlap = _d.Cli("network", "create", "--subnet", "10.231.8.0/25", net + "-2");
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
            var duplicate = _d.Cli("network", "create", net);
            Assert.Contains($"network with name {net} already exists", duplicate.Stderr);
            var outside = _d.Cli("run", "--rm", "--network", net, "--ip", "10.9.9.9", Image, "true");
            Assert.Contains("It does not belong to any of this network's subnets", outside.Stderr);
            var predefined = _d.Cli("network", "rm", "bridge");
            Assert.Contains("bridge is a pre-defined network and cannot be removed", predefined.Stderr);
            Assert.DoesNotContain(_d.Cli("network", "ls", "--format", "{{.Name}}").Stdout.Split('\n'), n => n.StartsWith(net + "-", StringComparison.Ordinal));
        }
        finally
        {
            _d.Cli("network", "rm", net);
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

    /// <summary>The host's own first non-loopback IPv4 address on an interface Berth did not make.</summary>
    static IPAddress HostAddress()
    {
        using var netlink = Netlink.Open();
        var links = netlink.Links().ToDictionary(l => l.Index);
        return netlink.Addresses().First(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address)
            && links.TryGetValue(a.Index, out var l) && l.Kind is not ("bridge" or "veth") && l.Up).Address;
    }

    /// <summary>The interfaces enslaved to a bridge (a container's host-side veths).</summary>
    static IReadOnlyList<string> BridgePorts(string bridge)
    {
        using var netlink = Netlink.Open();
        if (!netlink.TryIndexOf(bridge, out int index))
            return [];
        return [.. netlink.Links().Where(l => l.MasterIndex == index).Select(l => l.Name)];
    }

    static bool LinkExists(string name)
    {
        using var netlink = Netlink.Open();
        return netlink.TryIndexOf(name, out _);
    }
}
