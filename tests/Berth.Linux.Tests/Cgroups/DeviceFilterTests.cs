using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

/// <summary>
/// The device filter loaded into the kernel and attached to a cgroup2 directory. These must pass
/// on every Berth machine (we are root): a failure of bpf(2) fails the test with its reason.
/// </summary>
public class DeviceFilterTests
{
    const long Any = DeviceRule.Any;

    static DeviceRule Allow(DeviceType t, long major, long minor) => new(t, major, minor, DeviceAccess.All, true);

    const string Probe = "read x; (: </dev/null) && echo null-ok; (: </dev/kmsg) 2>/dev/null && echo kmsg-ok || echo kmsg-denied; ";

    [Fact]
    public void TheKernelEnforcesTheFilterAndAnUpdateReplacesIt()
    {
        using var cg = TestCgroup.Unified();
        DeviceFilter.Install(cg.Dir, [new DeviceRule(DeviceType.All, Any, Any, DeviceAccess.All, false), Allow(DeviceType.Char, 1, 3)]);
        var first = DeviceFilter.Attached(cg.Dir);
        Assert.Single(first);

        using var child = ShellChild.Start(Probe + Probe + "echo end");
        CgroupProcesses.Add(cg.Dir, child.Pid);
        child.Go();
        child.WaitFor("kmsg-", TimeSpan.FromSeconds(10));
        Assert.Equal("null-ok\nkmsg-denied\n", child.Output());

        // Allow /dev/kmsg (c 1:11) too: the new program replaces the old one.
        DeviceFilter.Install(cg.Dir, [Allow(DeviceType.Char, 1, 3), Allow(DeviceType.Char, 1, 11)]);
        var second = DeviceFilter.Attached(cg.Dir);
        Assert.Single(second);
        Assert.NotEqual(first[0], second[0]);
        child.Go();
        child.WaitFor("end", TimeSpan.FromSeconds(10));
        Assert.Equal("null-ok\nkmsg-denied\nnull-ok\nkmsg-ok\nend\n", child.Output());
    }

    [Fact]
    public void ALargeRuleListPassesTheVerifier()
    {
        using var cg = TestCgroup.Unified();
        var rules = Enumerable.Range(0, 200).Select(i => new DeviceRule(i % 2 == 0 ? DeviceType.Char : DeviceType.Block, i, i % 3 == 0 ? Any : i, DeviceAccess.Read | DeviceAccess.Write, i % 5 != 0)).ToList();
        DeviceFilter.Install(cg.Dir, rules);
        DeviceFilter.Install(cg.Dir, rules);
        Assert.Single(DeviceFilter.Attached(cg.Dir));
    }

    [Fact]
    public void AProgramTheVerifierRefusesFailsWithItsLog()
    {
        // r0 is never set before exit.
        var e = Assert.Throws<LinuxException>(() => Bpf.LoadProgram(Bpf.ProgramTypeCgroupDevice, [BpfInstruction.Exit()], "Apache", "berth_bad"));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Contains("verifier", e.Message);
        Assert.Contains("R0", e.Message);
    }
}
