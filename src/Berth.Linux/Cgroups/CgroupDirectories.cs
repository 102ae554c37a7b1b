using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Berth.Linux.Cgroups;

/// <summary>Making and removing cgroup directories (mkdir/rmdir on cgroupfs), with the errno.</summary>
public static class CgroupDirectories
{
    /// <summary>mkdir(2); returns the errno, 0 on success.</summary>
    public static int TryMake(string path, uint mode = 0x1ed /* 0755 */)
        => CgroupNative.mkdir(path, mode) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>rmdir(2); returns the errno, 0 on success.</summary>
    public static int TryRemove(string path)
        => CgroupNative.rmdir(path) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>The child cgroups of a cgroup directory (none if it is gone).</summary>
    public static IReadOnlyList<string> Children(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// Removes a cgroup and every cgroup below it, deepest first. A cgroup whose processes are still
    /// exiting refuses with EBUSY: that is retried until <paramref name="wait"/> has passed. A cgroup
    /// already gone counts as removed.
    /// </summary>
    public static void RemoveTree(string path, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        RemoveTree(path, clock, wait);
    }

    static void RemoveTree(string path, Stopwatch clock, TimeSpan wait)
    {
        foreach (var child in Children(path))
            RemoveTree(child, clock, wait);
        int delayMs = 1;
        while (true)
        {
            int errno = TryRemove(path);
            if (errno is 0 or Errno.ENOENT)
                return;
            if (errno != Errno.EBUSY || clock.Elapsed >= wait)
                throw new LinuxException(errno, $"remove cgroup {path}");
            Thread.Sleep(delayMs);
            delayMs = Math.Min(delayMs * 2, 20);
        }
    }
}
