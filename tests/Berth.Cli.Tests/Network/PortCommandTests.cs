namespace Berth.Cli.Tests.Network;

/// <summary>"berth port" and ps's PORTS column against the docker CLI on the same canned container.</summary>
public sealed class PortCommandTests : IDisposable
{
    readonly NetworkFakeDaemon _daemon = new();

    public void Dispose() => _daemon.Dispose();

    void Same(params string[] args) => _daemon.AssertSame(args);

    [Fact]
    public void All_mappings_in_natural_order()
    {
        Same("port", "web");
        Same("container", "port", "web");
    }

    [Fact]
    public void One_port()
    {
        Same("port", "web", "80");
        Same("port", "web", "80/tcp");
        Same("port", "web", "80/");
        Same("port", "web", "9/udp");
    }

    [Fact]
    public void Errors()
    {
        Same("port", "web", "443");
        Same("port", "web", "100");
        Same("port", "web", "81");
        Same("port", "web", "abc");
        Same("port", "web", "70000");
        Same("port", "web", "/tcp");
        Same("port", "web", "80/udp/x");
        Same("port");
        Same("port", "web", "80", "90");
    }

    [Fact]
    public void Ps_ports_column()
    {
        Same("ps", "--format", "{{.Ports}}");
        Same("ps", "--format", "table {{.Names}}\t{{.Ports}}");
    }
}
