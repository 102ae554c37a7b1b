using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Tests.Output;

/// <summary>docker's DisplayablePorts cases (formatter/container_test.go).</summary>
public class PortTextTests
{
    static ContainerPort P(int priv, string type, string? ip = null, int pub = 0) =>
        new() { PrivatePort = (ushort)priv, PublicPort = (ushort)pub, Type = type, IP = ip };

    [Fact]
    public void Single_ports()
    {
        Assert.Equal("9988/tcp", PortText.Displayable([P(9988, "tcp")]));
        Assert.Equal("9988/udp", PortText.Displayable([P(9988, "udp")]));
        Assert.Equal("0.0.0.0:0->9988/tcp", PortText.Displayable([P(9988, "tcp", "0.0.0.0")]));
        Assert.Equal("[::]:0->9988/tcp", PortText.Displayable([P(9988, "tcp", "::")]));
        Assert.Equal("9988/tcp", PortText.Displayable([P(9988, "tcp", pub: 8899)]));
        Assert.Equal("4.3.2.1:8899->9988/tcp", PortText.Displayable([P(9988, "tcp", "4.3.2.1", 8899)]));
        Assert.Equal("[::1]:8899->9988/tcp", PortText.Displayable([P(9988, "tcp", "::1", 8899)]));
        Assert.Equal("4.3.2.1:9988->9988/tcp", PortText.Displayable([P(9988, "tcp", "4.3.2.1", 9988)]));
        Assert.Equal("", PortText.Displayable([]));
    }

    [Fact]
    public void Groups_and_mappings()
    {
        Assert.Equal("9988/udp, 9988/udp", PortText.Displayable([P(9988, "udp"), P(9988, "udp")]));
        Assert.Equal("1.2.3.4:9998-9999->9998-9999/udp", PortText.Displayable([P(9998, "udp", "1.2.3.4", 9998), P(9999, "udp", "1.2.3.4", 9999)]));
        Assert.Equal("1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp", PortText.Displayable([P(9998, "udp", "1.2.3.4", 8887), P(9999, "udp", "1.2.3.4", 8888)]));
        Assert.Equal("9998-9999/udp", PortText.Displayable([P(9998, "udp"), P(9999, "udp")]));
        Assert.Equal("9988/udp, 1.2.3.4:7766->6677/tcp", PortText.Displayable([P(6677, "tcp", "1.2.3.4", 7766), P(9988, "udp", pub: 8899)]));
    }
}
