namespace Berth.Cli.Tests.Network;

/// <summary>
/// "berth network ..." against the docker CLI on the same canned daemon: same output, errors, exit status and
/// requests (bodies compared as JSON).
/// </summary>
public sealed class NetworkCommandsTests : IDisposable
{
    readonly NetworkFakeDaemon _daemon = new();

    public void Dispose() => _daemon.Dispose();

    void Same(params string[] args) => _daemon.AssertSame(args);

    static System.Text.Json.Nodes.JsonNode? SortedIpamConfig(System.Text.Json.Nodes.JsonNode? body)
    {
        if (body?["IPAM"]?["Config"] is System.Text.Json.Nodes.JsonArray configs)
        {
            var sorted = configs.Select(c => c!.DeepClone()).OrderBy(c => c["Subnet"]?.GetValue<string>(), StringComparer.Ordinal).ToList();
            configs.Clear();
            foreach (var config in sorted)
                configs.Add(config);
        }
        return body;
    }

    [Fact]
    public void Ls_table_quiet_and_no_trunc()
    {
        Same("network", "ls");
        Same("network", "list", "--no-trunc");
        Same("network", "ls", "-q");
        Same("network", "ls", "-q", "--no-trunc");
        Same("network", "ls", "--format", "table");
        Same("network", "ls", "-f", "driver=bridge", "--filter", "name=x", "-q");
    }

    [Fact]
    public void Ls_formats()
    {
        Same("network", "ls", "--format", "json");
        Same("network", "ls", "--format", "{{json .}}", "-q");
        Same("network", "ls", "--format", "raw");
        Same("network", "ls", "--format", "raw", "-q");
        Same("network", "ls", "--format", "table {{.ID}}", "-q");
        Same("network", "ls", "--format", "{{.ID}} {{.IPv4}} {{.IPv6}} {{.Internal}} {{.Labels}} {{.CreatedAt}} {{.Label \"a\"}}");
        Same("network", "ls", "--format", "table {{.Name}}\t{{.IPv4}}\t{{.CreatedAt}}\t{{.Labels}}\t{{.Internal}}\t{{.IPv6}}\t{{.Scope}}\t{{.Driver}}");
    }

    [Fact]
    public void Ls_errors()
    {
        Same("network", "ls", "--format", "{{.Foo}}");
        Same("network", "ls", "--format", "{{.Name");
        Same("network", "ls", "--filter", "foo");
        Same("network", "ls", "x");
    }

    [Fact]
    public void Inspect()
    {
        Same("network", "inspect", "net9");
        Same("network", "inspect", "net9", "bridge");
        Same("network", "inspect", "-f", "{{.Name}} {{.Driver}}", "net9", "nope", "net10");
        Same("network", "inspect", "--format", "json", "net9", "nope");
        Same("network", "inspect", "-v", "--format", "{{.Id}}", "net9");
        Same("network", "inspect", "nope");
        Same("network", "inspect");
    }

    [Fact]
    public void Inspect_template_errors()
    {
        Same("network", "inspect", "--format", "{{.Foo}}", "net9");
        Same("network", "inspect", "--format", "{{.Name", "net9");
    }

    [Fact]
    public void Rm()
    {
        Same("network", "rm", "net9", "nope", "net10");
        Same("network", "remove", "-f", "nope", "net9");
        Same("network", "rm", "nope");
        Same("network", "rm");
    }

    [Fact]
    public void Create_sends_dockers_request()
    {
        Same("network", "create", "n1");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--gateway", "10.1.0.1", "--ip-range", "10.1.1.0/24", "--aux-address", "a=10.1.0.5",
            "--aux-address", "b=10.1.0.6", "--internal", "--attachable", "--label", "k=v", "--label", "bare", "-o", "com.x=1", "--ipam-driver", "foo",
            "--ipam-opt", "io=2", "--ipv6", "--ipv4=false", "-d", "macvlan", "--scope", "local", "--config-from", "cf", "--config-only", "--ingress", "n2");
        // docker's CLI gathers IPAM.Config in a Go map: their order changes from run to run, so they are compared sorted.
        _daemon.AssertSame(["network", "create", "--subnet", "10.1.0.0/16", "--subnet", "fd00::/64", "--gateway", "fd00::1", "--ipv6", "n3"],
            bodyPart: (_, body) => SortedIpamConfig(body));
        Same("network", "create", "--subnet", "bad", "-o", "nokey", "n3");
        Same("network", "create", "--ipv4", "n3");
    }

    [Fact]
    public void Create_errors()
    {
        Same("network", "create");
        Same("network", "create", "x", "y");
        Same("network", "create", "--gateway", "10.1.0.1", "n3");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--gateway", "10.2.0.1", "n3");
        Same("network", "create", "--subnet", "10.0.0.0/8", "--subnet", "10.1.0.0/16", "n3");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--aux-address", "a=1.2.3.4", "n3");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--subnet", "10.2.0.0/16", "--ip-range", "10.1.0.0/24", "--ip-range", "10.1.1.0/24", "n3");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--subnet", "bad", "n3");
        Same("network", "create", "--subnet", "10.1.0.0/16", "--gateway", "10.1.0.300/8", "n3");
        Same("network", "create", "--label", "", "n3");
        Same("network", "create", "--label", "=v", "n3");
    }

    [Fact]
    public void Connect_and_disconnect()
    {
        Same("network", "connect", "net9", "ctr");
        Same("network", "connect", "--ip", "10.0.0.5", "--ip6", "2001:db8::5", "--alias", "a1", "--alias", "a2,a3", "--link", "l1:x",
            "--driver-opt", "k=v", "--driver-opt", " k2 = v2 ", "--link-local-ip", "169.254.1.1", "--gw-priority", "5", "net9", "ctr");
        Same("network", "connect", "--ip", "bad", "net9", "ctr");
        Same("network", "connect", "--driver-opt", "nokey", "net9", "ctr");
        Same("network", "connect", "--mac-address", "02:42:ac:11:00:02", "net9", "ctr");
        Same("network", "connect", "nope", "ctr");
        Same("network", "connect", "net9");
        Same("network", "disconnect", "net9", "ctr");
        Same("network", "disconnect", "-f", "net9", "ctr");
        Same("network", "disconnect", "net9");
        Same("network", "disconnect", "nope", "ctr");
    }

    [Fact]
    public void Prune()
    {
        _daemon.AssertSame(["network", "prune"], "y\n");
        _daemon.AssertSame(["network", "prune"], "n\n");
        Same("network", "prune", "-f");
        Same("network", "prune", "-f", "--filter", "until=1h", "--filter", "label=a");
    }

    [Fact]
    public void Unknown_subcommand() => Same("network", "frobnicate");

    [Fact]
    public void Group_help_lists_the_commands()
    {
        // docker prints a group's help on stderr when no command follows; berth's App prints it on stdout.
        var run = TestCli.Run("network");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(TestCli.Golden("help/network.txt"), run.Stdout);
    }
}
