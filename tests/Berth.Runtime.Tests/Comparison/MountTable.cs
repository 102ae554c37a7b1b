namespace Berth.Runtime.Tests.Comparison;

/// <summary>
/// /proc/self/mountinfo lines reduced to what a container's mounts are, not where the kernel or the
/// host put them: mount point, per-mount options, propagation tags, file system type and its
/// options. Mount ids, device numbers, the root inside the source file system (a host path for a
/// bind, the container's cgroup for a cgroup mount) and the source (a host path, or a name each
/// runtime picks) are dropped; propagation peer group numbers are too.
/// </summary>
internal static class MountTable
{
    /// <summary>Rewrites every mountinfo line of <paramref name="text"/>; other lines stay.</summary>
    public static string Normalize(string text)
        => string.Join('\n', text.Split('\n').Select(l => IsMountInfo(l) ? Line(l) : l));

    /// <summary>Of the mountinfo lines only the mount points and their propagation tags (shared, master, ...), sorted; other lines after them.</summary>
    public static string Propagation(string text)
    {
        var lines = text.Split('\n');
        var mounts = lines.Where(IsMountInfo).Select(l => l.Split(' '))
            .Select(f => string.Join(' ', [f[4], .. f[6..Array.IndexOf(f, "-", 6)].Select(t => t.Split(':')[0])]))
            .Order(StringComparer.Ordinal);
        return string.Join('\n', mounts.Concat(lines.Where(l => !IsMountInfo(l))));
    }

    static bool IsMountInfo(string line)
    {
        var f = line.Split(' ');
        return f.Length > 9 && int.TryParse(f[0], out _) && f[2].Contains(':') && Array.IndexOf(f, "-", 6) > 0;
    }

    static string Line(string line)
    {
        // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
        var f = line.Split(' ');
        int separator = Array.IndexOf(f, "-", 6);
        var tags = f[6..separator].Select(t => t.Split(':')[0]);
        return string.Join(' ', [f[4], f[5], .. tags, "-", f[separator + 1], f[separator + 3]]);
    }
}
