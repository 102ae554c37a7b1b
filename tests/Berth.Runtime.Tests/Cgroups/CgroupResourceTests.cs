using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>
/// linux.resources written into this machine's cgroups and read back, as create and update do.
/// Where a hierarchy is v1 (as for these controllers on a hybrid machine) the v1 files are read.
/// </summary>
public class CgroupResourceTests
{
    const long MiB = 1024 * 1024;

    static string Read(string dir, string file) => CgroupFiles.Read(dir, file).Trim();

    static LinuxDeviceCgroup DeviceRule(bool allow, string? type = null, long? major = null, long? minor = null, string access = "rwm")
        => new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    [Fact]
    public void LimitsAreWrittenAndAnUpdateChangesThem()
    {
        Assert.Equal(CgroupMode.Hybrid, CgroupScope.Layout.Mode); // what these file names are for; see V2ManagerTests for cgroup2
        using var scope = new CgroupScope();
        var resources = new LinuxResources
        {
            Memory = new() { Limit = 64 * MiB, Reservation = 32 * MiB, Swap = 64 * MiB, Swappiness = 10, Kernel = 64 * MiB },
            Cpu = new() { Shares = 512, Quota = 50000, Period = 100000, Cpus = "0", Mems = "0" },
            Pids = new() { Limit = 32 },
            BlockIO = new() { Weight = 300 },
            Devices = [DeviceRule(false), DeviceRule(true, "c", 1, 3), DeviceRule(true, "b", 7, null, "r")],
        };
        var m = scope.CreateAndApply(resources);
        string memory = scope.V1Dir("memory"), cpu = scope.V1Dir("cpu"), cpuset = scope.V1Dir("cpuset"), pids = scope.V1Dir("pids");
        string blkio = scope.V1Dir("blkio"), devices = scope.V1Dir("devices");
        Assert.Equal($"{64 * MiB}", Read(memory, "memory.limit_in_bytes"));
        Assert.Equal($"{32 * MiB}", Read(memory, "memory.soft_limit_in_bytes"));
        Assert.Equal($"{64 * MiB}", Read(memory, "memory.memsw.limit_in_bytes"));
        Assert.Equal("10", Read(memory, "memory.swappiness"));
        Assert.Equal("512", Read(cpu, "cpu.shares"));
        Assert.Equal("50000", Read(cpu, "cpu.cfs_quota_us"));
        Assert.Equal("100000", Read(cpu, "cpu.cfs_period_us"));
        Assert.Equal("0", Read(cpuset, "cpuset.cpus"));
        Assert.Equal("0", Read(cpuset, "cpuset.mems"));
        Assert.Equal("32", Read(pids, "pids.max"));
        string weightFile = CgroupFiles.Exists(blkio, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
        if (CgroupFiles.Exists(blkio, weightFile))
            Assert.EndsWith("300", Read(blkio, weightFile));
        // Deny all, the spec's rules, then the devices every container has (as runc).
        var expected = new[] { "c 1:3 rwm", "b 7:* r", "c *:* m", "b *:* m", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm" };
        Assert.Equal(expected.Order(), Read(devices, "devices.list").Split('\n').Order());

        var stats = m.Stats();
        Assert.Equal((ulong)(64 * MiB), stats.MemoryLimit);
        Assert.Equal(32ul, stats.PidsLimit);

        // update: more memory (memsw must grow first), fewer pids, other CPUs; same devices: nothing to rewrite.
        resources.Memory = new() { Limit = 128 * MiB, Swap = 256 * MiB };
        resources.Pids = new() { Limit = 0 };
        resources.Cpu = new() { Quota = -1, Cpus = Environment.ProcessorCount > 1 ? "0-1" : "0" };
        m.Apply(resources);
        Assert.Equal($"{128 * MiB}", Read(memory, "memory.limit_in_bytes"));
        Assert.Equal($"{256 * MiB}", Read(memory, "memory.memsw.limit_in_bytes"));
        Assert.Equal("max", Read(pids, "pids.max"));
        Assert.Equal("-1", Read(cpu, "cpu.cfs_quota_us"));
        Assert.Equal(Environment.ProcessorCount > 1 ? "0-1" : "0", Read(cpuset, "cpuset.cpus"));
        Assert.Equal(expected.Order(), Read(devices, "devices.list").Split('\n').Order());

        // Down again: now memory must shrink first.
        resources.Memory = new() { Limit = 16 * MiB, Swap = 16 * MiB };
        m.Apply(resources);
        Assert.Equal($"{16 * MiB}", Read(memory, "memory.limit_in_bytes"));
        Assert.Equal($"{16 * MiB}", Read(memory, "memory.memsw.limit_in_bytes"));
    }

    [Fact]
    public void AProcessKilledByTheMemoryLimitIsCounted()
    {
        using var scope = new CgroupScope();
        var m = scope.CreateAndApply(new LinuxResources { Memory = new() { Limit = 32 * MiB, Swap = 32 * MiB } });
        Assert.Equal(0, m.OomKillCount());
        using var child = ShellChild.Start("read x; exec tail /dev/zero");
        m.AddProcess(child.Pid);
        child.Go();
        var status = child.WaitExit(TimeSpan.FromSeconds(30));
        Assert.Equal(Berth.Linux.Signals.SIGKILL, status?.Signal);
        Assert.True(m.OomKillCount() >= 1);
    }

    [Fact]
    public void LoweringTheMemoryLimitBelowUsageReportsTheKernelsRefusal()
    {
        using var scope = new CgroupScope();
        var m = scope.CreateAndApply(new LinuxResources { Memory = new() { Limit = 256 * MiB, Swap = 256 * MiB } });
        using var child = ShellChild.Start("read x; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo held; read y");
        m.AddProcess(child.Pid);
        child.Go();
        child.WaitFor("held", TimeSpan.FromSeconds(30));
        var e = Assert.Throws<RuntimeError>(() => m.Apply(new LinuxResources { Memory = new() { Limit = 16 * MiB, Swap = 16 * MiB } }));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.StartsWith("linux.resources.memory.limit: write \"16777216\" to ", e.Message);
        Assert.Contains("device or resource busy", e.Message);
        Assert.True(m.Stats().MemoryUsage >= 64 * MiB);
    }

    [Fact]
    public void PidsLimitStopsForks()
    {
        using var scope = new CgroupScope();
        var m = scope.CreateAndApply(new LinuxResources { Pids = new() { Limit = 5 } });
        using var child = ShellChild.Start("read x; for i in 1 2 3 4 5 6 7 8; do sleep 30 >/dev/null 2>&1 & done; echo started; wait");
        m.AddProcess(child.Pid);
        child.Go();
        var status = child.WaitExit(TimeSpan.FromSeconds(10));
        Assert.NotNull(status);
        Assert.NotEqual(0, status.Value.Code);
        Assert.Contains("fork", child.Output(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("started", child.Output());
        Assert.InRange(m.Pids().Count, 1, 5);
        Assert.InRange(m.Stats().PidsCurrent, 1ul, 5ul);
    }

    [Fact]
    public void FreezeStopsTheContainerAndThawResumesIt()
    {
        using var scope = new CgroupScope();
        var m = scope.CreateAndApply(null);
        using var child = ShellChild.Start("read x; sleep 0.3; echo done");
        m.AddProcess(child.Pid);
        child.Go();
        m.Freeze();
        Assert.True(m.IsFrozen());
        if (CgroupScope.Layout.V1For("freezer") is not null)
            Assert.Equal("FROZEN", Read(scope.V1Dir("freezer"), "freezer.state"));
        Assert.Null(child.WaitExit(TimeSpan.FromSeconds(1)));
        m.Thaw();
        Assert.False(m.IsFrozen());
        Assert.Equal(0, child.WaitExit(TimeSpan.FromSeconds(10))?.Code);
        Assert.Equal("done\n", child.Output());
        Assert.True(m.Stats().CpuUsageTotal > 0);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "cpu-shares", "linux.resources.cpu.shares: 1 is out of range: the minimum allowed cpu-shares is 2", "" },
        { "cpu-quota", "linux.resources.cpu.quota: write \"500\" to ", "invalid argument" },
        { "cpus", "linux.resources.cpu.cpus: write \"999\" to ", "cpuset.cpus: " },
        { "swap", "linux.resources.memory.swap: the memory+swap limit 1048576 is below the memory limit 2097152", "" },
        { "network", "linux.resources.network.classID: no cgroup v1 hierarchy with the net_cls controller is mounted", "" },
        { "unified", "linux.resources.unified.memory.high: the memory controller is on cgroup v1 on this machine", "" },
    };

    static LinuxResources Bad(string what) => what switch
    {
        "cpu-shares" => new() { Cpu = new() { Shares = 1 } },
        "cpu-quota" => new() { Cpu = new() { Quota = 500 } },
        "cpus" => new() { Cpu = new() { Cpus = "999" } },
        "swap" => new() { Memory = new() { Limit = 2 * MiB, Swap = 1 * MiB } },
        "network" => new() { Network = new() { ClassId = 0x100001 } },
        _ => new() { Unified = new() { ["memory.high"] = "1G" } },
    };

    /// <summary>create's sequence: Create, Apply fails naming the field, Destroy leaves nothing behind.</summary>
    [Theory]
    [MemberData(nameof(BadValues))]
    public void ABadValueFailsNamingTheFieldAndLeavesNothing(string what, string message, string alsoContains)
    {
        Assert.Equal(CgroupMode.Hybrid, CgroupScope.Layout.Mode);
        if (what == "network")
            Assert.Null(CgroupScope.Layout.V1For("net_cls")); // this machine does not mount net_cls
        using var scope = new CgroupScope();
        scope.Manager.Create();
        var made = scope.Manager.Record.Created.ToList();
        Assert.NotEmpty(made);
        var e = Assert.Throws<RuntimeError>(() => scope.Manager.Apply(Bad(what)));
        Assert.StartsWith(message, e.Message);
        Assert.Contains(alsoContains, e.Message);
        scope.Manager.Destroy();
        CgroupScope.AssertRemoved(made);
    }

    [Fact]
    public void HugepagesNeedTheHugetlbControllerWhichTheUnifiedRootDoesNotEnableHere()
    {
        var layout = CgroupScope.Layout;
        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        Assert.Null(layout.V1For("hugetlb"));
        string root = layout.Unified!.MountPoint;
        Assert.Contains("hugetlb", CgroupFiles.Words(CgroupFiles.Read(root, "cgroup.controllers")));
        Assert.DoesNotContain("hugetlb", CgroupFiles.Words(CgroupFiles.Read(root, "cgroup.subtree_control")));
        using var scope = new CgroupScope();
        scope.Manager.Create();
        var e = Assert.Throws<RuntimeError>(() => scope.Manager.Apply(new LinuxResources { HugepageLimits = [new() { PageSize = "2MB", Limit = 4 * MiB }] }));
        Assert.Equal(ErrorKind.Unsupported, e.Kind);
        Assert.Equal($"linux.resources.hugepageLimits: the hugetlb controller is not enabled in {root}/cgroup.subtree_control", e.Message);
        // The root is not Berth's: nothing was written there.
        Assert.DoesNotContain("hugetlb", CgroupFiles.Words(CgroupFiles.Read(root, "cgroup.subtree_control")));
    }
}
