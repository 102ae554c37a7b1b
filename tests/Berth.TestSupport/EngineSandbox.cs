using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// Private ground for a real container engine (dockerd, Podman) started by tests: a temporary
/// directory /tmp/berth-test-&lt;engine&gt;-&lt;random&gt; for every root, socket and log, and a
/// cgroup parent /berth/&lt;engine&gt;/&lt;same name&gt;. Dispose removes both with whatever the
/// engine left in them. A sandbox whose test process died without cleaning up (its "owner" file
/// names a process that is gone) is removed when the next one is made.
/// </summary>
public sealed class EngineSandbox : IDisposable
{
    const string OwnerFile = "owner";

    public EngineSandbox(string engine)
    {
        Engine = engine;
        SweepStale(engine);
        Name = TestIds.New(engine);
        Directory = Path.Combine(Path.GetTempPath(), Name);
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, OwnerFile), OwnerStamp(Environment.ProcessId) ?? "");
    }

    public string Engine { get; }

    /// <summary>berth-test-&lt;engine&gt;-&lt;random&gt;: the directory's and the cgroup's last component.</summary>
    public string Name { get; }

    public string Directory { get; }

    /// <summary>The cgroup parent to give the engine, absolute as engines take it: /berth/&lt;engine&gt;/&lt;name&gt;.</summary>
    public string CgroupParent => $"/berth/{Engine}/{Name}";

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>
    /// The storage driver for the engine: its overlay driver, or vfs where the sandbox itself lies
    /// on overlayfs (a test run inside a container), which overlayfs cannot use as its upper layer.
    /// </summary>
    public string StorageDriver(string overlay) => MountInfo.Containing(Directory)?.FsType == "overlay" ? "vfs" : overlay;

    public void Dispose()
    {
        Leftovers.RemoveAll(Directory, CgroupParent);
        // /berth/<engine> too once no other sandbox uses it (rmdir of a cgroup with children fails).
        Leftovers.RemoveCgroupIfEmpty($"/berth/{Engine}");
    }

    /// <summary>Removes sandboxes of this engine whose owning test process no longer runs.</summary>
    static void SweepStale(string engine)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), $"berth-test-{engine}-*"))
        {
            string owner = Path.Combine(dir, OwnerFile);
            if (!File.Exists(owner))
                continue;
            string stamp = File.ReadAllText(owner).Trim();
            int pid = int.TryParse(stamp.Split(' ')[0], out int p) ? p : 0;
            if (pid > 0 && OwnerStamp(pid) == stamp)
                continue; // a live test process, maybe another engineer's run
            Leftovers.RemoveAll(dir, $"/berth/{engine}/{Path.GetFileName(dir)}");
        }
    }

    /// <summary>"pid start-time": names a process for good (a pid alone may be reused).</summary>
    static string? OwnerStamp(int pid) => Processes.StartTime(pid) is { } start ? $"{pid} {start}" : null;
}
