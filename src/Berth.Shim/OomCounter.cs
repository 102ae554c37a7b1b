using Berth.Linux.Cgroups;

namespace Berth.Shim;

/// <summary>
/// Whether the kernel's OOM killer struck in the container's memory cgroup: the cgroup's
/// <c>oom_kill</c> counter (v1 memory.oom_control, v2 memory.events), found from the init
/// process's /proc/PID/cgroup while it runs and read again after its exit (before the runtime
/// deletes the cgroup). Without a memory cgroup (or before Linux 4.13) it never reports a kill.
/// </summary>
sealed class OomCounter
{
    readonly string? _file;
    readonly ulong _baseline;

    OomCounter(string? file, bool fresh)
    {
        _file = file;
        _baseline = fresh ? 0 : Read() ?? 0;
    }

    /// <summary>
    /// The counter of <paramref name="pid"/>'s memory cgroup. The init may be gone already (it can
    /// exit before the runtime that started it has); then the cgroup is found from
    /// <paramref name="cgroupsPath"/> as runc's cgroupfs driver reads it, a cgroup made for this
    /// container whose count starts at 0.
    /// </summary>
    public static OomCounter For(int pid, string? cgroupsPath)
    {
        string mountinfo = "/proc/self/mountinfo";
        try
        {
            string procCgroup;
            bool fresh = false;
            try
            {
                procCgroup = File.ReadAllText($"/proc/{pid}/cgroup");
            }
            catch (IOException) when (ContainerCgroup(cgroupsPath) is not null)
            {
                procCgroup = File.ReadAllText("/proc/self/cgroup");
                fresh = true;
            }
            var layout = Hierarchies.Parse(File.ReadAllLines(mountinfo), procCgroup);
            string OwnPath(CgroupHierarchy h) => fresh ? InHierarchy(ContainerCgroup(cgroupsPath)!, h.OwnPath) : h.OwnPath;
            if (layout.V1For("memory") is { } memory)
                return new OomCounter(Path.Combine(memory.DirectoryOf(OwnPath(memory)), "memory.oom_control"), fresh);
            if (layout.Unified is { } unified)
                return new OomCounter(Path.Combine(unified.DirectoryOf(OwnPath(unified)), "memory.events"), fresh);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ShimLog.Write($"memory cgroup of {pid}: {e.Message}; OOM kills will not be reported");
        }
        return new OomCounter(null, fresh: true);
    }

    public bool Killed() => Read() is ulong now && now > _baseline;

    /// <summary>cgroupsPath without "." and empty parts; null for none, or the systemd driver's "slice:prefix:name".</summary>
    static string? ContainerCgroup(string? cgroupsPath)
    {
        if (string.IsNullOrEmpty(cgroupsPath) || !cgroupsPath.Contains('/') && cgroupsPath.Contains(':'))
            return null;
        var parts = cgroupsPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Count == 0 || parts.Contains(".."))
            return null;
        return (cgroupsPath[0] == '/' ? "/" : "") + string.Join('/', parts);
    }

    /// <summary>An absolute path starts at the hierarchy's root; a relative one under the runtime's own cgroup (the shim's).</summary>
    static string InHierarchy(string path, string ownPath) => path[0] == '/' ? path : ownPath.TrimEnd('/') + "/" + path;

    ulong? Read()
    {
        if (_file is null)
            return null;
        try
        {
            foreach (var line in File.ReadLines(_file))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && ulong.TryParse(line.AsSpan(9), out ulong count))
                    return count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
