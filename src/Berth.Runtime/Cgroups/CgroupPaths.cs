
namespace Berth.Runtime.Cgroups;

/// <summary>
/// linux.cgroupsPath as runc's cgroupfs driver reads it: empty means <c>berth/&lt;id&gt;</c>; a
/// relative path is nested under the runtime's own cgroup in each hierarchy (from
/// /proc/self/cgroup); an absolute path starts at each hierarchy's root.
/// </summary>
internal static class CgroupPaths
{
    /// <summary>The parent of every container cgroup Berth makes by default.</summary>
    public const string Parent = "berth";

    const string Field = "linux.cgroupsPath";

    /// <summary>The path to use: defaulted, with "." and repeated slashes dropped; ".." and the root refused.</summary>
    public static string Normalize(string? cgroupsPath, string containerId)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
            return $"{Parent}/{containerId}";
        if (cgroupsPath.Contains('\0'))
            throw RuntimeError.Invalid($"{Field}: contains a NUL character");
        if (IsSystemdForm(cgroupsPath))
            throw RuntimeError.Invalid($"{Field} \"{cgroupsPath}\" is in the systemd driver's form (slice:prefix:name); berth-runtime manages cgroups itself: give a path such as /berth/{containerId}");
        var parts = cgroupsPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw RuntimeError.Invalid($"{Field} \"{cgroupsPath}\": \"..\" is not allowed");
        if (parts.Count == 0)
            throw RuntimeError.Invalid($"{Field} \"{cgroupsPath}\": a container cannot have the root cgroup");
        return (cgroupsPath[0] == '/' ? "/" : "") + string.Join('/', parts);
    }

    /// <summary>The container's absolute cgroup path in a hierarchy where this process is in <paramref name="ownPath"/>.</summary>
    public static string InHierarchy(string normalized, string ownPath)
        => normalized[0] == '/' ? normalized : ownPath.TrimEnd('/') + "/" + normalized;

    /// <summary><c>name.slice:prefix:name</c>, the systemd driver's form (no '/', three ':'-separated parts).</summary>
    static bool IsSystemdForm(string path)
    {
        var parts = path.Split(':');
        return parts.Length == 3 && !path.Contains('/') && parts[0].EndsWith(".slice", StringComparison.Ordinal)
            && parts[0].Length > ".slice".Length && parts[2].Length > 0;
    }
}
