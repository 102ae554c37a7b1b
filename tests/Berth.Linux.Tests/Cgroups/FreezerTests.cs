using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

public class FreezerTests
{
    /// <summary>A frozen process does not finish its 0.3 s sleep in a whole second; thawed, it does.</summary>
    static void FrozenProcessWaitsUntilThawed(string dir, Action freeze, Func<bool> isFrozen, Action thaw)
    {
        using var child = ShellChild.Start("read x; sleep 0.3; echo done");
        CgroupProcesses.Add(dir, child.Pid);
        child.Go();
        freeze();
        Assert.True(isFrozen());
        Assert.Null(child.WaitExit(TimeSpan.FromSeconds(1)));
        Assert.Equal("", child.Output(50));
        thaw();
        Assert.False(isFrozen());
        var status = child.WaitExit(TimeSpan.FromSeconds(10));
        Assert.Equal(0, status?.Code);
        Assert.Equal("done\n", child.Output());
    }

    [Fact]
    public void V1FreezerStopsAndResumesAProcess()
    {
        using var cg = TestCgroup.V1("freezer");
        Assert.Equal(Freezer.Thawed, Freezer.StateV1(cg.Dir));
        FrozenProcessWaitsUntilThawed(cg.Dir,
            () => Freezer.FreezeV1(cg.Dir),
            () => Freezer.StateV1(cg.Dir) == Freezer.Frozen,
            () => Freezer.ThawV1(cg.Dir));
    }

    [Fact]
    public void V2FreezeStopsAndResumesAProcess()
    {
        using var cg = TestCgroup.Unified();
        Assert.False(Freezer.IsFrozenV2(cg.Dir));
        FrozenProcessWaitsUntilThawed(cg.Dir,
            () => Freezer.FreezeV2(cg.Dir, TimeSpan.FromSeconds(5)),
            () => Freezer.IsFrozenV2(cg.Dir),
            () => Freezer.ThawV2(cg.Dir));
    }
}
