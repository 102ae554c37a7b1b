using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// Removes what a container engine started by a test can leave on the host: processes (found by
/// the test's private directory on their command line, or in the test's cgroup subtree; stopped
/// by PID), mounts under the directory, the directory, and the cgroup subtree in every hierarchy.
/// Safe to call on a clean host and more than once.
/// </summary>
public static class Leftovers
{
    /// <param name="directory">The test's private directory (a unique temporary path).</param>
    /// <param name="cgroup">The test's cgroup subtree, relative to each hierarchy's root (berth/docker/...).</param>
    public static void RemoveAll(string directory, string cgroup)
    {
        KillProcesses(directory, cgroup);
        UnmountUnder(directory);
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A mount that appeared meanwhile (a process that died late): once more.
            UnmountUnder(directory);
            Directory.Delete(directory, recursive: true);
        }
        RemoveCgroup(cgroup);
    }

    /// <summary>SIGKILLs every process that mentions <paramref name="directory"/> or lives in the cgroup subtree, and waits until they are gone.</summary>
    public static void KillProcesses(string directory, string cgroup)
    {
        for (int round = 0; round < 50; round++)
        {
            var pids = ProcessesMentioning(directory).Concat(CgroupProcesses(cgroup)).Distinct().ToList();
            if (pids.Count == 0)
                return;
            // A frozen process does not die until it is thawed.
            Thaw(cgroup);
            foreach (int pid in pids)
                Processes.TryKill(pid, Signals.SIGKILL);
            Thread.Sleep(100);
        }
    }

    /// <summary>Live processes whose command line contains <paramref name="text"/> (this process excluded).</summary>
    public static List<int> ProcessesMentioning(string text)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && !Processes.IsDeadOrZombie(pid))
                    pids.Add(pid);
            }
            catch (IOException)
            {
                // Exited meanwhile.
            }
        }
        return pids;
    }

    /// <summary>Unmounts (lazily, deepest first) every mount at or below <paramref name="directory"/>.</summary>
    public static void UnmountUnder(string directory)
    {
        for (int round = 0; round < 10; round++)
        {
            var mounts = MountInfo.Read()
                .Select(m => m.MountPoint)
                .Where(p => p == directory || p.StartsWith(directory + "/", StringComparison.Ordinal))
                .Distinct()
                .OrderByDescending(p => p.Length)
                .ToList();
            if (mounts.Count == 0)
                return;
            foreach (var mountPoint in mounts)
                Mounts.TryUnmount(mountPoint, UnmountFlags.Detach);
        }
    }

    /// <summary>The cgroup subtree's directory in every mounted hierarchy (v1 controllers, named ones, v2).</summary>
    public static IEnumerable<string> CgroupDirectories(string cgroup)
    {
        foreach (var m in MountInfo.Read())
            if (m.FsType is "cgroup" or "cgroup2" && m.Root == "/")
            {
                string dir = Path.Combine(m.MountPoint, cgroup.TrimStart('/'));
                if (Directory.Exists(dir))
                    yield return dir;
            }
    }

    static IEnumerable<int> CgroupProcesses(string cgroup)
    {
        foreach (var root in CgroupDirectories(cgroup))
            foreach (var dir in SubtreeDeepestFirst(root))
            {
                string[] lines;
                try
                {
                    lines = File.ReadAllLines(Path.Combine(dir, "cgroup.procs"));
                }
                catch (IOException)
                {
                    continue;
                }
                foreach (var line in lines)
                    if (int.TryParse(line, out int pid))
                        yield return pid;
            }
    }

    static void Thaw(string cgroup)
    {
        foreach (var root in CgroupDirectories(cgroup))
            foreach (var dir in SubtreeDeepestFirst(root))
            {
                TryWrite(Path.Combine(dir, "freezer.state"), "THAWED");
                TryWrite(Path.Combine(dir, "cgroup.freeze"), "0");
            }
    }

    /// <summary>rmdir of the subtree, deepest first, retried while its last processes exit.</summary>
    public static void RemoveCgroup(string cgroup)
    {
        foreach (var root in CgroupDirectories(cgroup).ToList())
            for (int attempt = 0; attempt < 50 && Directory.Exists(root); attempt++)
            {
                foreach (var dir in SubtreeDeepestFirst(root))
                {
                    try
                    {
                        Directory.Delete(dir);
                    }
                    catch (IOException)
                    {
                    }
                }
                if (Directory.Exists(root))
                    Thread.Sleep(100);
            }
    }

    /// <summary>rmdir of one cgroup in every hierarchy, where it has no children and no processes.</summary>
    public static void RemoveCgroupIfEmpty(string cgroup)
    {
        foreach (var dir in CgroupDirectories(cgroup).ToList())
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // In use by another test's engine.
            }
        }
    }

    static List<string> SubtreeDeepestFirst(string root)
    {
        try
        {
            var dirs = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).ToList();
            dirs.Add(root);
            return dirs.OrderByDescending(d => d.Count(c => c == '/')).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    static void TryWrite(string file, string value)
    {
        if (!File.Exists(file))
            return;
        try
        {
            File.WriteAllText(file, value);
        }
        catch (IOException)
        {
        }
    }
}
