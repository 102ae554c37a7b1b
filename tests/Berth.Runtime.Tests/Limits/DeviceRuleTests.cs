using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Limits;

/// <summary>linux.resources.devices: the device cgroup decides whether a node that is present can be used.</summary>
public sealed class DeviceRuleTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void A_rule_denying_a_present_node_makes_reading_it_fail_inside()
    {
        // /dev/loop0 (block 7:0) is present in the container either way; the default spec denies
        // every device, a rule may allow this one. A read of an unbound loop device returns nothing.
        const string script = "ls -l /dev/loop0 | cut -c1; head -c1 /dev/loop0";
        var denied = Run(script, allow: false);
        Assert.Equal(1, denied.ExitCode);
        Assert.Equal("b\n", denied.Stdout);
        Assert.Contains("head: /dev/loop0: Operation not permitted", denied.Stderr);
        var allowed = Run(script, allow: true);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("b\n", allowed.Stdout);
        Assert.DoesNotContain("Operation not permitted", allowed.Stderr);
    }

    [Fact]
    public void A_rule_cannot_take_away_the_devices_every_container_has()
    {
        // As in runc (its AllowedDevices, appended after the spec's rules) /dev/zero stays readable
        // whatever the spec says: Docker and Podman containers rely on it. Compared with runc and
        // crun in Comparison/RunProbes.Kernel.cs.
        using var bundle = Bundle.Create("devzero", "sh", "-c", "head -c1 /dev/zero | wc -c");
        bundle.Configure(s => s.Linux!.Resources!.Devices!.Add(new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 5, Access = "rwm" }));
        var result = _runtime.Run(bundle);
        result.EnsureSuccess("run");
        Assert.Equal("1\n", result.Stdout);
    }

    CommandResult Run(string script, bool allow)
    {
        using var bundle = Bundle.Create("devrule", "sh", "-c", script);
        bundle.Configure(s =>
        {
            s.Linux!.Devices = [new LinuxDevice { Path = "/dev/loop0", Type = "b", Major = 7, Minor = 0, FileMode = Convert.ToUInt32("600", 8) }];
            if (allow)
                s.Linux.Resources!.Devices!.Add(new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 7, Minor = 0, Access = "r" });
        });
        return _runtime.Run(bundle);
    }

    public void Dispose() => _runtime.Dispose();
}
