using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>Each namespace kind, checked from the inside, and joining an existing one by path.</summary>
public sealed class NamespaceTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void The_process_is_pid_1_of_its_own_pid_namespace()
    {
        // echo and the glob are shell built-ins: the shell is the only process there is.
        string output = Probe.Run(_runtime, "echo $$; echo /proc/[0-9]*");
        Assert.Equal("1\n/proc/1\n", output);
    }

    [Fact]
    public void Every_namespace_differs_from_the_hosts()
    {
        string output = Probe.Run(_runtime, "for n in mnt pid net uts ipc cgroup; do echo $n $(readlink /proc/self/ns/$n); done",
            s => s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" }));
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            string host = new FileInfo($"/proc/self/ns/{parts[0]}").LinkTarget!;
            Assert.NotEqual(host, parts[1]);
        }
    }

    [Fact]
    public void Uts_namespace_has_the_spec_hostname_and_domainname()
    {
        string output = Probe.Run(_runtime, "hostname; cat /proc/sys/kernel/domainname", s =>
        {
            s.Hostname = "berth-box";
            s.Domainname = "example.test";
        });
        Assert.Equal("berth-box\nexample.test\n", output);
        Assert.NotEqual("berth-box", System.Net.Dns.GetHostName());
    }

    [Fact]
    public void Network_namespace_has_only_loopback_and_it_is_up()
    {
        string output = Probe.Run(_runtime, "ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("lo", lines[0]);
        Assert.Equal(1, Convert.ToInt32(lines[^1], 16) & 1); // IFF_UP
    }

    [Fact]
    public void User_namespace_maps_root_to_an_unprivileged_host_user()
    {
        string output = Probe.Run(_runtime, "id -u; cat /proc/self/uid_map /proc/self/gid_map; touch /proc/sys/kernel/hostname 2>&1 || true", s =>
        {
            s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            s.Linux.UidMappings = [new IdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }];
            s.Linux.GidMappings = [new IdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }];
            RemoveMount(s, "/sys/fs/cgroup");
        });
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal("0", lines[0]);
        Assert.Equal("0 100000 65536", lines[1]);
        Assert.Equal("0 100000 65536", lines[2]);
    }

    [Fact]
    public void Time_namespace_shifts_the_monotonic_and_boot_clocks()
    {
        string output = Probe.Run(_runtime, "cut -d. -f1 /proc/uptime", s =>
        {
            s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "time" });
            s.Linux.TimeOffsets = new Dictionary<string, TimeOffset>
            {
                ["boottime"] = new() { Secs = 86400 * 365 },
                ["monotonic"] = new() { Secs = 86400 * 365 },
            };
        });
        double hostUptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        long inside = long.Parse(output.Trim());
        Assert.True(inside >= 86400 * 365 + (long)hostUptime - 5, $"uptime inside {inside}, host {hostUptime}");
    }

    [Fact]
    public void A_container_joins_another_containers_network_and_uts_namespaces_by_path()
    {
        using var first = Bundle.Create("ns-owner", "sleep", "1000");
        first.Configure(s => s.Hostname = "owner");
        string owner = _runtime.Track(TestIds.New("owner"));
        _runtime.Create(first, owner);
        int pid = JsonDocument.Parse(_runtime.State(owner)).RootElement.GetProperty("pid").GetInt32();
        string netns = new FileInfo($"/proc/{pid}/ns/net").LinkTarget!;

        string output = Probe.Run(_runtime, "readlink /proc/self/ns/net; hostname", s =>
        {
            s.Hostname = null; // a hostname would be set in the joined namespace, as runc does
            foreach (var ns in s.Linux!.Namespaces!)
                if (ns.Type is "network" or "uts")
                    ns.Path = $"/proc/{pid}/ns/{(ns.Type == "network" ? "net" : "uts")}";
        });
        Assert.Equal($"{netns}\nowner\n", output);
    }

    [Fact]
    public void Ipc_namespace_is_private()
    {
        string output = Probe.Run(_runtime, "readlink /proc/self/ns/ipc");
        Assert.NotEqual(new FileInfo("/proc/self/ns/ipc").LinkTarget, output.Trim());
    }

    internal static void RemoveMount(RuntimeSpec spec, string destination)
        => spec.Mounts!.RemoveAll(m => m.Destination == destination);

    public void Dispose() => _runtime.Dispose();
}
