using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

public class HierarchiesTests
{
    static readonly string[] HybridMountinfo =
    [
        "22 1 0:20 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw",
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        "35 30 0:32 / /sys/fs/cgroup/net_cls,net_prio rw,relatime - cgroup cgroup rw,net_cls,net_prio",
        "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
    ];

    const string HybridProcCgroup = "9:name=systemd:/\n8:net_cls,net_prio:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n";

    [Fact]
    public void HybridMachineHasV1ControllersAndTheUnifiedMount()
    {
        var layout = Hierarchies.Parse(HybridMountinfo, HybridProcCgroup);
        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        // In mountinfo order, as runc mounts them into a container (not /proc/self/cgroup's order).
        Assert.Equal(["cpu,cpuacct", "memory", "net_cls,net_prio", "name=systemd"], layout.V1.Select(h => h.Key));
        var cpu = layout.V1For("cpuacct")!;
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", cpu.MountPoint);
        Assert.Equal(["cpu", "cpuacct"], cpu.Controllers);
        Assert.Equal("cpu,cpuacct", cpu.MountName);
        Assert.Equal("systemd", layout.V1[^1].MountName);
        var memory = layout.V1For("memory")!;
        Assert.Equal("/process_api/abc", memory.OwnPath);
        Assert.Equal("/sys/fs/cgroup/memory/process_api/abc/berth/x", memory.DirectoryOf("/process_api/abc/berth/x"));
        Assert.Equal("/sys/fs/cgroup/unified", layout.Unified!.MountPoint);
        Assert.True(layout.Unified.IsUnified);
    }

    [Fact]
    public void V2MachineHasOnlyTheUnifiedHierarchy()
    {
        var layout = Hierarchies.Parse(
            ["30 22 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"],
            "0::/user.slice/user-1000.slice/session-2.scope\n");
        Assert.Equal(CgroupMode.V2, layout.Mode);
        Assert.Empty(layout.V1);
        Assert.Equal("/user.slice/user-1000.slice/session-2.scope", layout.Unified!.OwnPath);
        Assert.Equal("/sys/fs/cgroup/berth/c1", layout.Unified.DirectoryOf("/berth/c1"));
    }

    [Fact]
    public void ASubtreeMountShowsItsRootAtTheMountPoint()
    {
        // Inside a container: the hierarchy's /docker/abc is what /sys/fs/cgroup/memory shows.
        var layout = Hierarchies.Parse(
            ["50 40 0:31 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory"],
            "4:memory:/docker/abc\n");
        var memory = layout.V1[0];
        Assert.Equal(CgroupMode.V1, layout.Mode);
        Assert.Equal("/docker/abc", memory.MountRoot);
        Assert.Equal("/sys/fs/cgroup/memory/berth/x", memory.DirectoryOf("/docker/abc/berth/x"));
        Assert.Equal("/sys/fs/cgroup/memory", memory.DirectoryOf("/docker/abc"));
    }

    [Fact]
    public void OnlyANamedV1HierarchyBesideCgroup2IsAV2Machine()
    {
        var layout = Hierarchies.Parse(
            ["30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "31 30 0:28 / /run/systemd/legacy rw - cgroup cgroup rw,name=systemd"],
            "1:name=systemd:/\n0::/\n");
        Assert.Equal(CgroupMode.V2, layout.Mode);
    }

    [Fact]
    public void DetectAgreesWithThisProcesssCgroupFile()
    {
        var layout = Hierarchies.Detect();
        var lines = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).ToDictionary(p => p[1], p => p[2]);
        Assert.NotEqual(CgroupMode.None, layout.Mode);
        foreach (var h in layout.V1)
        {
            Assert.Equal(lines[h.Key], h.OwnPath);
            Assert.True(Directory.Exists(h.DirectoryOf(h.OwnPath)), h.DirectoryOf(h.OwnPath));
        }
        if (layout.Unified is { } unified)
        {
            Assert.Equal(lines[""], unified.OwnPath);
            Assert.Equal(CgroupFiles.Words(File.ReadAllText(Path.Join(unified.MountPoint, "cgroup.controllers"))), unified.Controllers);
        }
        bool unifiedUnderCgroupfs = File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Contains(" /sys/fs/cgroup/unified ") && l.Contains(" - cgroup2 "));
        if (unifiedUnderCgroupfs)
            Assert.Equal(CgroupMode.Hybrid, layout.Mode);
    }
}
