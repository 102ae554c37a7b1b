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

    OomCounter(string? file)
    {
        _file = file;
        _baseline = Read() ?? 0;
    }

    public static OomCounter ForProcess(int pid)
    {
        try
        {
            var layout = Hierarchies.Parse(File.ReadAllLines("/proc/self/mountinfo"), File.ReadAllText($"/proc/{pid}/cgroup"));
            if (layout.V1For("memory") is { } memory)
                return new OomCounter(Path.Combine(memory.DirectoryOf(memory.OwnPath), "memory.oom_control"));
            if (layout.Unified is { } unified)
                return new OomCounter(Path.Combine(unified.DirectoryOf(unified.OwnPath), "memory.events"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ShimLog.Write($"memory cgroup of {pid}: {e.Message}; OOM kills will not be reported");
        }
        return new OomCounter(null);
    }

    public bool Killed() => Read() is ulong now && now > _baseline;

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
