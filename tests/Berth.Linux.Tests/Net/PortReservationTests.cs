using System.Net;
using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

/// <summary>Host ports held by bound sockets: IPv4 and IPv6 apart (IPV6_V6ONLY), and each held once.</summary>
public sealed class PortReservationTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void IPv4_and_IPv6_hold_one_port_apart_and_each_only_once(string protocol)
    {
        using var v4 = PortReservation.Bind(IPAddress.Any, 0, protocol);
        Assert.InRange(v4.Port, 1, 65535);

        // [::] without IPV6_V6ONLY would take the IPv4 port too, and fail here.
        using var v6 = PortReservation.Bind(IPAddress.IPv6Any, v4.Port, protocol);
        Assert.Equal(v4.Port, v6.Port);

        var again = Assert.Throws<LinuxException>(() => PortReservation.Bind(IPAddress.IPv6Any, v4.Port, protocol));
        Assert.Equal(Errno.EADDRINUSE, again.Errno);
        Assert.Contains($"bind [::]:{v4.Port}/{protocol}", again.Message);
        Assert.Equal(Errno.EADDRINUSE, Assert.Throws<LinuxException>(() => PortReservation.Bind(IPAddress.Any, v4.Port, protocol)).Errno);
    }

    [Fact]
    public void An_IPv6_address_of_the_host_is_held_with_its_port()
    {
        using var held = PortReservation.Bind(IPAddress.IPv6Loopback, 0, "tcp");
        Assert.InRange(held.Port, 1, 65535);
        Assert.Equal(Errno.EADDRINUSE, Assert.Throws<LinuxException>(() => PortReservation.Bind(IPAddress.IPv6Loopback, held.Port, "tcp")).Errno);
    }
}
