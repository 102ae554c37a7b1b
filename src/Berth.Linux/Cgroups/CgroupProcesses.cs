using System.Globalization;

namespace Berth.Linux.Cgroups;

/// <summary>The processes of a cgroup (cgroup.procs), in v1 and v2 alike.</summary>
public static class CgroupProcesses
{
    /// <summary>Moves a process (with all its threads) into the cgroup.</summary>
    public static void Add(string dir, int pid) => CgroupFiles.Write(dir, "cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The processes directly in the cgroup; none if the cgroup is gone.</summary>
    public static List<int> List(string dir)
    {
        var pids = new List<int>();
        if (!CgroupFiles.TryRead(dir, "cgroup.procs", out string text))
            return pids;
        foreach (var word in CgroupFiles.Words(text))
            if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                pids.Add(pid);
        return pids;
    }

    /// <summary>The processes in the cgroup and in every cgroup below it.</summary>
    public static List<int> ListRecursive(string dir)
    {
        var pids = List(dir);
        foreach (var child in CgroupDirectories.Children(dir))
            pids.AddRange(ListRecursive(child));
        return pids;
    }
}
