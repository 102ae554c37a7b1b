using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

public class DevicesV1Tests
{
    const long Any = DeviceRule.Any;

    static DeviceRule Rule(bool allow, DeviceType t, long major, long minor, DeviceAccess a = DeviceAccess.All) => new(t, major, minor, a, allow);

    static DeviceListV1 State(params DeviceRule[] rules)
    {
        var state = new DeviceListV1();
        foreach (var r in rules)
            Assert.True(state.TryApply(r, out string? error), error);
        return state;
    }

    static readonly DeviceRule[] Container =
    [
        Rule(false, DeviceType.All, Any, Any),
        Rule(true, DeviceType.Char, 1, 3),
        Rule(true, DeviceType.Char, Any, Any, DeviceAccess.Mknod),
        Rule(true, DeviceType.Char, 136, Any),
    ];

    [Fact]
    public void FromAllowAllTheTransitionDeniesAllThenAllows()
    {
        var target = State(Container);
        var rules = target.TransitionFrom(DeviceListV1.Parse("a *:* rwm\n"));
        Assert.Equal(["deny a *:* rwm", "allow c *:* m", "allow c 1:3 rwm", "allow c 136:* rwm"], rules.Select(r => r.ToString()));
    }

    [Fact]
    public void AnUnchangedPolicyWritesNothingAndAChangeOnlyTheDifference()
    {
        var target = State(Container);
        var shown = DeviceListV1.Parse("c 1:3 rwm\nc *:* m\nc 136:* rwm\n");
        Assert.Empty(target.TransitionFrom(shown));
        var next = State([.. Container[..3], Rule(true, DeviceType.Char, 1, 5, DeviceAccess.Read)]);
        Assert.Equal(["deny c 136:* rwm", "allow c 1:5 r"], next.TransitionFrom(shown).Select(r => r.ToString()));
    }

    [Fact]
    public void PunchingAHoleInAWildcardIsRefused()
    {
        var state = State(Rule(false, DeviceType.All, Any, Any), Rule(true, DeviceType.Char, Any, Any));
        Assert.False(state.TryApply(Rule(false, DeviceType.Char, 1, 5, DeviceAccess.Read), out string? error));
        Assert.Contains("c *:* rwm", error);
    }

    [Fact]
    public void TheKernelShowsTheAppliedPolicy()
    {
        using var cg = TestCgroup.V1("devices");
        Assert.True(DevicesV1.Read(cg.Dir).DefaultAllow);
        DevicesV1.Apply(cg.Dir, State(Container));
        var lines = CgroupFiles.Read(cg.Dir, "devices.list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(new[] { "c *:* m", "c 1:3 rwm", "c 136:* rwm" }.Order(), lines);

        using var child = ShellChild.Start("read x; (: </dev/null) && echo null-ok; (: </dev/kmsg) 2>/dev/null && echo kmsg-ok || echo kmsg-denied; echo end");
        CgroupProcesses.Add(cg.Dir, child.Pid);
        child.Go();
        child.WaitFor("end", TimeSpan.FromSeconds(10));
        Assert.Equal("null-ok\nkmsg-denied\nend\n", child.Output());
    }
}
