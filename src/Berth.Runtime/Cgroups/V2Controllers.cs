using Berth.Linux;
using Berth.Linux.Cgroups;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Which cgroup v2 controllers a container's directory can use. A controller is there when the
/// parent's cgroup.subtree_control enables it (and so on up to the root). Berth writes
/// "+controller" only into subtree_control of directories it created; anywhere else a missing
/// controller is reported, naming the file that lacks it.
/// </summary>
internal sealed class V2Controllers(string root, string leaf, ICollection<string> created)
{
    public string Root { get; } = root.TrimEnd('/');

    /// <summary>The controllers the container's directory has (its cgroup.controllers).</summary>
    public IReadOnlyList<string> Available()
        => CgroupFiles.TryRead(leaf, "cgroup.controllers", out string text) ? Words(text) : [];

    /// <summary>Makes the controller usable in the container's directory; null when it is, else why not.</summary>
    public string? Enable(string controller)
    {
        if (Available().Contains(controller))
            return null;
        foreach (var dir in Chain())
        {
            if (Words(CgroupFiles.Read(dir, "cgroup.subtree_control")).Contains(controller))
                continue;
            if (!Words(CgroupFiles.Read(dir, "cgroup.controllers")).Contains(controller))
                return $"the {controller} controller is not available in {Path.Join(dir, "cgroup.controllers")}";
            if (!created.Contains(dir))
                return $"the {controller} controller is not enabled in {Path.Join(dir, "cgroup.subtree_control")}";
            int errno = CgroupFiles.TryWrite(dir, "cgroup.subtree_control", "+" + controller);
            if (errno != 0)
                return $"cannot enable the {controller} controller in {Path.Join(dir, "cgroup.subtree_control")}: {LinuxException.Describe(errno)}";
        }
        return Available().Contains(controller) ? null : $"the {controller} controller is not available in {Path.Join(leaf, "cgroup.controllers")}";
    }

    /// <summary>
    /// Enables in a directory Berth created (a parent of containers) every controller it has, as
    /// runc does, so that later containers below it find them. Controllers that refuse are skipped.
    /// </summary>
    public static void EnableAll(string dir)
    {
        var controllers = Words(CgroupFiles.Read(dir, "cgroup.controllers"));
        if (controllers.Count == 0)
            return;
        if (CgroupFiles.TryWrite(dir, "cgroup.subtree_control", string.Join(' ', controllers.Select(c => "+" + c))) == 0)
            return;
        foreach (var c in controllers)
            CgroupFiles.TryWrite(dir, "cgroup.subtree_control", "+" + c);
    }

    /// <summary>The top of the hierarchy above a cgroup2 directory: the last directory up that has cgroup.controllers.</summary>
    public static string FindRoot(string dir)
    {
        string current = dir.TrimEnd('/');
        while (Path.GetDirectoryName(current) is { Length: > 0 } parent && CgroupFiles.Exists(parent, "cgroup.controllers"))
            current = parent;
        return current;
    }

    /// <summary>The root and every directory down to the container's parent, top first.</summary>
    IEnumerable<string> Chain()
    {
        string trimmed = leaf.TrimEnd('/');
        if (!trimmed.StartsWith(Root + "/", StringComparison.Ordinal))
            yield break;
        string dir = Root;
        yield return dir;
        var parts = trimmed[(Root.Length + 1)..].Split('/');
        for (int i = 0; i < parts.Length - 1; i++)
        {
            dir += "/" + parts[i];
            yield return dir;
        }
    }

    static List<string> Words(string text) => [.. text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];
}
