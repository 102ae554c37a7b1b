using Berth.TestSupport;
using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>Making and removing container cgroups on this machine's hierarchies.</summary>
public class CgroupLifecycleTests
{
    [Fact]
    public void ARelativePathIsNestedUnderOurOwnCgroupInEveryHierarchy()
    {
        using var scope = new CgroupScope();
        var layout = CgroupScope.Layout;
        scope.Manager.Create();
        var record = scope.Manager.Record;
        Assert.Equal(scope.Path, record.Path);
        Assert.Equal(layout.Mode == CgroupMode.V2, record.Unified);
        foreach (var h in layout.V1.Append(layout.Unified).OfType<CgroupHierarchy>())
        {
            // e.g. /sys/fs/cgroup/memory/process_api/<hash>/berth/test-x for the memory hierarchy here.
            string expected = h.MountPoint + (h.OwnPath == "/" ? "" : h.OwnPath) + "/" + scope.Path;
            Assert.Equal(expected, record.Paths[h.Key]);
            Assert.True(Directory.Exists(expected), expected);
        }
        Assert.Equal(layout.V1.Count + (layout.Unified is null ? 0 : 1), record.Paths.Count);

        // The container's cgroup mounts: the v1 hierarchies by mount name (not the unified one on hybrid).
        var sources = scope.Manager.MountSources;
        if (layout.Mode == CgroupMode.V2)
            Assert.Equal("", Assert.Single(sources).Name);
        else
        {
            Assert.Equal(layout.V1.Select(h => h.MountName).Order(), sources.Select(s => s.Name).Order());
            Assert.DoesNotContain(sources, s => s.Name is "" or "unified");
            foreach (var s in sources)
                Assert.Equal(s.Name.Contains(',') ? s.Name.Split(',') : [], s.Aliases);
        }

        var made = record.Created.ToList();
        scope.Manager.Destroy();
        CgroupScope.AssertRemoved(made);
        Assert.All(record.Created, d => Assert.EndsWith("/berth", d));
    }

    [Fact]
    public void DestroyRemovesExactlyWhatCreateMade()
    {
        using var scope = new CgroupScope(below: "c1");
        var layout = CgroupScope.Layout;
        var hierarchies = layout.V1.Append(layout.Unified).OfType<CgroupHierarchy>().ToList();
        // Someone else's cgroups: berth/test-x with a sibling cgroup, made before the container's.
        foreach (var h in hierarchies)
        {
            CgroupScope.MakeDirectory(scope.TopIn(h) + "/sibling");
        }
        scope.Manager.Create();
        Assert.Equal(hierarchies.Select(h => scope.TopIn(h) + "/c1").Order(), scope.Manager.Record.Created.Order());

        // The container made a cgroup of its own inside (as with a cgroup namespace): it goes too.
        string inner = scope.Manager.Record.Paths.Values.First() + "/inner";
        Assert.Equal(0, CgroupDirectories.TryMake(inner));
        scope.Manager.Destroy();
        foreach (var h in hierarchies)
        {
            Assert.False(Directory.Exists(scope.TopIn(h) + "/c1"));
            Assert.True(Directory.Exists(scope.TopIn(h) + "/sibling"));
        }
    }

    [Fact]
    public void AnExistingContainerCgroupIsNotTakenOver()
    {
        using var scope = new CgroupScope(below: "c1");
        var memory = CgroupScope.Layout.V1For("memory") ?? CgroupScope.Layout.Unified!;
        string existing = scope.TopIn(memory) + "/c1";
        CgroupScope.MakeDirectory(existing);
        var e = Assert.Throws<RuntimeError>(scope.Manager.Create);
        Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
        Assert.Contains(existing, e.Message);
        Assert.DoesNotContain(existing, scope.Manager.Record.Created);
        var made = scope.Manager.Record.Created.ToList();
        scope.Manager.Destroy();
        CgroupScope.AssertRemoved(made);
        Assert.True(Directory.Exists(existing));
    }

    [Fact]
    public void AManagerRebuiltFromItsRecordFindsTheSameCgroup()
    {
        using var scope = new CgroupScope();
        scope.Manager.Create();
        using var child = ShellChild.Start("read x; exec sleep 30");
        scope.Manager.AddProcess(child.Pid);
        var again = CgroupManagers.FromRecord(scope.Manager.Record);
        Assert.Equal([child.Pid], again.Pids());
        Assert.Equal(scope.Manager.MountSources.Select(s => (s.Name, s.HostPath)), again.MountSources.Select(s => (s.Name, s.HostPath)));
        foreach (var dir in scope.Manager.Record.Paths.Values)
            Assert.Contains(child.Pid, CgroupProcesses.List(dir));
    }

    [Fact]
    public void ProcessesInSubCgroupsAreListed()
    {
        using var scope = new CgroupScope();
        scope.Manager.Create();
        string processDir = scope.Manager.Record.Paths.FirstOrDefault(p => p.Key.Split(',').Contains("pids")).Value ?? scope.Manager.Record.Paths.Values.First();
        using var a = ShellChild.Start("read x; exec sleep 30");
        using var b = ShellChild.Start("read x; exec sleep 30");
        scope.Manager.AddProcess(a.Pid);
        Assert.Equal(0, CgroupDirectories.TryMake(processDir + "/sub"));
        CgroupProcesses.Add(processDir + "/sub", b.Pid);
        Assert.Equal(new[] { a.Pid, b.Pid }.Order(), scope.Manager.Pids().Order());
    }
}
