using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// A daemon killed and started again under a container running on a user-defined network: it restores the container's
/// DNS sockets in the container's namespace before it serves anything, and must stay in the host's namespace itself.
/// </summary>
public sealed class NetworkRestartTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void After_a_restart_under_a_running_container_the_daemon_s_network_work_happens_on_the_host_and_removing_everything_leaves_nothing()
    {
        string net = TestIds.New("net-restart"), later = TestIds.New("net-later");
        string web = TestIds.New("web");
        try
        {
            _d.Cli("network", "create", net).EnsureSuccess("network create");
            string bridge = BridgeOf(net);
            _d.Cli("run", "-d", "--name", web, "--network", net, BerthDaemon.Image, "sleep", "300").EnsureSuccess("run");
            _d.Kill();
            _d.Start();
            Assert.Equal("true", _d.Inspect(web, "{{.State.Running}}"));

            string host = new FileInfo("/proc/self/ns/net").LinkTarget!;
            var elsewhere = Directory.GetDirectories($"/proc/{_d.Pid}/task")
                .Select(t => (Thread: Path.GetFileName(t), Namespace: new FileInfo(Path.Combine(t, "ns", "net")).LinkTarget))
                .Where(t => t.Namespace is not null && t.Namespace != host)
                .ToList();
            Assert.True(elsewhere.Count == 0, $"berthd threads in another network namespace than the host's {host}: {string.Join(", ", elsewhere)}");

            // A network made now has its bridge on the host, not in the container's namespace.
            _d.Cli("network", "create", later).EnsureSuccess("network create after the restart");
            Assert.True(LinkExists(BridgeOf(later)), "the new network's bridge is on the host");

            _d.Cli("rm", "-f", web).EnsureSuccess("rm -f");
            _d.Cli("network", "rm", net, later).EnsureSuccess("network rm");
            Assert.False(LinkExists(bridge), $"bridge {bridge} is removed with its network");
            Assert.DoesNotContain(NetworkLeftovers.Tables(), t => t.EndsWith("berth-" + bridge, StringComparison.Ordinal));
        }
        finally
        {
            _d.Cli("rm", "-f", web);
            _d.Cli("network", "rm", net, later);
        }
    }

    string BridgeOf(string network) => "br-" + _d.Cli("network", "inspect", network, "--format", "{{.Id}}").EnsureSuccess("network inspect").Stdout.Trim()[..12];

    static bool LinkExists(string name)
    {
        using var netlink = Netlink.Open();
        return netlink.TryIndexOf(name, out _);
    }
}
