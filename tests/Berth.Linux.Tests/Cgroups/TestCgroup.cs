using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

/// <summary>
/// A cgroup for one test, <c>berth/test-&lt;random&gt;</c> below this process's cgroup in one
/// hierarchy, removed with everything below it on Dispose (also when the test failed). The
/// "berth" parent is removed too when this test made it and it is empty.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    readonly string _berth;
    bool _madeBerth;

    TestCgroup(CgroupHierarchy hierarchy, string name)
    {
        Hierarchy = hierarchy;
        _berth = hierarchy.DirectoryOf(hierarchy.OwnPath.TrimEnd('/') + "/berth");
        Dir = _berth + "/" + name;
        // Another test may remove an empty "berth" between the two mkdirs: then again.
        for (int attempt = 0; ; attempt++)
        {
            int errno = CgroupDirectories.TryMake(_berth);
            Assert.True(errno is 0 or Errno.EEXIST, $"mkdir {_berth}: errno {errno}");
            _madeBerth |= errno == 0;
            errno = CgroupDirectories.TryMake(Dir);
            if (errno == 0)
                return;
            Assert.True(errno == Errno.ENOENT && attempt < 5, $"mkdir {Dir}: errno {errno}");
        }
    }

    public CgroupHierarchy Hierarchy { get; }

    public string Dir { get; }

    public static string NewName() => "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A test cgroup in the v1 hierarchy that has <paramref name="controller"/>.</summary>
    public static TestCgroup V1(string controller)
    {
        var h = Hierarchies.Detect().V1For(controller);
        Assert.True(h is not null, $"this machine has no cgroup v1 hierarchy with {controller}");
        return new TestCgroup(h!, NewName());
    }

    /// <summary>A test cgroup in the cgroup2 hierarchy (/sys/fs/cgroup/unified on a hybrid machine).</summary>
    public static TestCgroup Unified()
    {
        var h = Hierarchies.Detect().Unified;
        Assert.True(h is not null, "this machine has no cgroup2 mount");
        return new TestCgroup(h!, NewName());
    }

    public void Dispose()
    {
        foreach (int pid in CgroupProcesses.ListRecursive(Dir))
            Processes.TryKill(pid, Signals.SIGKILL);
        CgroupDirectories.RemoveTree(Dir, TimeSpan.FromSeconds(5));
        if (_madeBerth && CgroupDirectories.Children(_berth).Count == 0)
            CgroupDirectories.TryRemove(_berth);
    }
}
