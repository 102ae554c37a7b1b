using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>
/// A container cgroup for one test at the relative path <c>berth/test-&lt;random&gt;</c> (so below
/// this process's own cgroup in each hierarchy). Dispose kills what is left in it (by pid), calls
/// Destroy, and then removes whatever of <c>berth/test-&lt;random&gt;</c> is still there in any
/// hierarchy, also when the test failed half-way.
/// </summary>
internal sealed class CgroupScope : IDisposable
{
    public CgroupScope(string? below = null, Func<string, ICgroupManager>? make = null)
    {
        Name = "test-" + Guid.NewGuid().ToString("N")[..12];
        Path = below is null ? $"berth/{Name}" : $"berth/{Name}/{below}";
        Manager = make is null ? CgroupManagers.ForNew(Path, Name) : make(Path);
    }

    public string Name { get; }

    /// <summary>The cgroupsPath given to the manager.</summary>
    public string Path { get; }

    public ICgroupManager Manager { get; }

    public static CgroupLayout Layout => Hierarchies.Detect();

    /// <summary>The test's top directory (berth/test-x) in a hierarchy.</summary>
    public string TopIn(CgroupHierarchy h) => h.DirectoryOf(h.OwnPath.TrimEnd('/') + $"/berth/{Name}");

    public string Dir(string key) => Manager.Record.Paths[key];

    /// <summary>The container's directory of the v1 hierarchy with the controller.</summary>
    public string V1Dir(string controller) => Manager.Record.Paths.Single(p => p.Key.Split(',').Contains(controller)).Value;

    public ICgroupManager CreateAndApply(LinuxResources? resources)
    {
        Manager.Create();
        Manager.Apply(resources);
        return Manager;
    }

    public void Dispose()
    {
        foreach (var pid in SafePids())
            Processes.TryKill(pid, Signals.SIGKILL);
        try
        {
            Manager.Destroy();
        }
        finally
        {
            var layout = Layout;
            foreach (var h in layout.V1.Append(layout.Unified).OfType<CgroupHierarchy>())
            {
                string top = TopIn(h);
                if (Directory.Exists(top))
                    CgroupDirectories.RemoveTree(top, TimeSpan.FromSeconds(5));
                // The shared parent goes when nothing else is in it (a test may have made it).
                string berth = System.IO.Path.GetDirectoryName(top)!;
                if (Directory.Exists(berth) && CgroupDirectories.Children(berth).Count == 0)
                    CgroupDirectories.TryRemove(berth);
            }
        }
    }

    /// <summary>
    /// Asserts that the directories a manager made are gone after its Destroy, except a shared
    /// "berth" parent that still holds cgroups of tests running in parallel (on a fresh machine the
    /// first test makes it, and Destroy rightly leaves it while others use it).
    /// </summary>
    public static void AssertRemoved(IEnumerable<string> made) =>
        Assert.All(made, d => Assert.False(Directory.Exists(d) && (System.IO.Path.GetFileName(d) != "berth" || CgroupDirectories.Children(d).Count == 0), d));

    /// <summary>mkdir -p that copes with a concurrent test removing an empty "berth" meanwhile.</summary>
    public static void MakeDirectory(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(path);
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    IReadOnlyList<int> SafePids()
    {
        try
        {
            return Manager.Pids();
        }
        catch (RuntimeError)
        {
            return [];
        }
    }
}
