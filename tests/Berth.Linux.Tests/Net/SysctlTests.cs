using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

public sealed class SysctlTests
{
    [Fact]
    public void Both_key_forms_name_the_same_file()
    {
        Assert.Equal("/proc/sys/net/ipv4/ip_forward", Sysctl.PathOf("net.ipv4.ip_forward"));
        Assert.Equal("/proc/sys/net/ipv4/conf/eth0.100/forwarding", Sysctl.PathOf("net/ipv4/conf/eth0.100/forwarding"));
        Assert.Equal(Sysctl.Read("net.ipv4.ip_forward"), Sysctl.Read("net/ipv4/ip_forward"));
        Assert.Throws<ArgumentException>(() => Sysctl.PathOf("net/../../etc/passwd"));
    }

    [Fact]
    public void A_net_sysctl_written_inside_a_namespace_stays_there()
    {
        using var scratch = new NetScratch();
        using var ns = NetworkNamespace.Create(scratch.Namespace("ns"));
        string hostValue = Sysctl.Read("net.ipv4.ip_unprivileged_port_start");
        string value = hostValue == "80" ? "81" : "80";

        ns.Run(() => Sysctl.Write("net.ipv4.ip_unprivileged_port_start", value));

        Assert.Equal(value, ns.Run(() => Sysctl.Read("net.ipv4.ip_unprivileged_port_start")));
        Assert.Equal(hostValue, Sysctl.Read("net.ipv4.ip_unprivileged_port_start"));
        var e = Assert.Throws<LinuxException>(() => Sysctl.Read("net.ipv4.no_such_key"));
        Assert.Contains("no_such_key", e.Message);
    }
}
