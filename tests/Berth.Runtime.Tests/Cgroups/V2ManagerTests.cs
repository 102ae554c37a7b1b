using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>
/// The cgroup v2 manager, as it runs on a v2 machine, driven here on this machine's cgroup2 mount
/// (/sys/fs/cgroup/unified on a hybrid machine) as if it were the only hierarchy. Only the
/// controllers that mount offers can be shown; the v2 core (cgroup.procs, cgroup.freeze) and the
/// eBPF device controller work in any cgroup2 directory.
/// </summary>
public class V2ManagerTests
{
    static CgroupScope V2Scope()
    {
        var layout = CgroupScope.Layout;
        Assert.NotNull(layout.Unified);
        return new CgroupScope(make: path => CgroupManagers.ForLayout(layout with { V1 = [] }, path, rootless: false));
    }

    [Fact]
    public void DevicesFreezeAndProcessesWorkInAUnifiedDirectory()
    {
        using var scope = V2Scope();
        var m = scope.Manager;
        m.Create();
        Assert.True(m.Record.Unified);
        string dir = m.Record.Paths[""];
        Assert.Equal([("", dir)], m.MountSources.Select(s => (s.Name, s.HostPath)));

        m.Apply(new LinuxResources { Devices = [new() { Allow = false, Access = "rwm" }] });
        var program = Assert.Single(DeviceFilter.Attached(dir));
        m.Apply(new LinuxResources { Devices = [new() { Allow = false, Access = "rwm" }] });
        Assert.NotEqual(program, Assert.Single(DeviceFilter.Attached(dir)));

        using var child = ShellChild.Start("read x; (: </dev/null) && echo null-ok; (: </dev/kmsg) 2>/dev/null && echo kmsg-ok || echo kmsg-denied; read y; echo done");
        m.AddProcess(child.Pid);
        Assert.Equal([child.Pid], m.Pids());
        child.Go();
        child.WaitFor("kmsg-", TimeSpan.FromSeconds(10));
        Assert.Equal("null-ok\nkmsg-denied\n", child.Output());

        m.Freeze();
        Assert.True(m.IsFrozen());
        Assert.Equal("1", CgroupFiles.Read(dir, "cgroup.freeze").Trim());
        child.Go();
        Assert.Null(child.WaitExit(TimeSpan.FromMilliseconds(500)));
        m.Thaw();
        Assert.False(m.IsFrozen());
        Assert.Equal(0, child.WaitExit(TimeSpan.FromSeconds(10))?.Code);
        Assert.EndsWith("done\n", child.Output());
        Assert.True(m.Stats().CpuUsageTotal > 0);

        var made = m.Record.Created.ToList();
        m.Destroy();
        CgroupScope.AssertRemoved(made);
    }

    [Fact]
    public void AControllerTheHierarchyDoesNotOfferIsRefusedNamingTheField()
    {
        using var scope = V2Scope();
        var m = scope.Manager;
        m.Create();
        string root = CgroupScope.Layout.Unified!.MountPoint;
        if (CgroupScope.Layout.Unified.Has("memory"))
            return; // a v2 machine: the memory controller is there (the hybrid case is what this shows)
        var e = Assert.Throws<RuntimeError>(() => m.Apply(new LinuxResources { Memory = new() { Limit = 64 << 20 } }));
        Assert.Equal($"linux.resources.memory.limit: the memory controller is not available in {root}/cgroup.controllers", e.Message);
        e = Assert.Throws<RuntimeError>(() => m.Apply(new LinuxResources { Memory = new() { Swappiness = 10 } }));
        Assert.StartsWith("linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness", e.Message);
        e = Assert.Throws<RuntimeError>(() => m.Apply(new LinuxResources { Memory = new() { DisableOomKiller = true } }));
        Assert.StartsWith("linux.resources.memory.disableOOMKiller: ", e.Message);
        // "No limit" needs no controller.
        m.Apply(new LinuxResources { Memory = new() { Limit = -1 }, Pids = new() { Limit = 0 } });
    }
}
