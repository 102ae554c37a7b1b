using Berth.Linux.Cgroups;

namespace Berth.Runtime.Tests.Limits;

/// <summary>
/// A container's cgroup files as the host sees them, found the way any tool finds them: from its
/// init's /proc/PID/cgroup and this machine's hierarchies. A controller's file is read from its v1
/// hierarchy when it has one (as on this hybrid machine), else from the unified one.
/// </summary>
internal sealed class ContainerCgroup
{
    readonly CgroupLayout _layout = Hierarchies.Detect();
    readonly Dictionary<string, string> _paths;

    public ContainerCgroup(int pid)
    {
        _paths = File.ReadAllLines($"/proc/{pid}/cgroup")
            .Select(l => l.Split(':', 3))
            .ToDictionary(f => f[1], f => f[2]);
    }

    public bool OnV1(string controller) => _layout.V1For(controller) is not null;

    public string DirOf(string controller)
    {
        if (_layout.V1For(controller) is { } v1)
            return v1.DirectoryOf(_paths[v1.Key]);
        var unified = _layout.Unified ?? throw new InvalidOperationException($"no hierarchy has the {controller} controller");
        return unified.DirectoryOf(_paths[""]);
    }

    /// <summary>The file of the controller: <paramref name="v1File"/> on a v1 hierarchy, else <paramref name="v2File"/>.</summary>
    public string Read(string controller, string v1File, string v2File)
        => File.ReadAllText(Path.Combine(DirOf(controller), OnV1(controller) ? v1File : v2File)).Trim();

    /// <summary>A "key value" line of a flat-keyed file (memory.oom_control, memory.events).</summary>
    public long Key(string controller, string v1File, string v2File, string key)
        => long.Parse(Read(controller, v1File, v2File).Split('\n').Select(l => l.Split(' ')).Single(f => f[0] == key)[1]);
}
