using System.Text;
using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Containers;

/// <summary>Writes uid_map and gid_map of a process that has just made a user namespace.</summary>
internal static class UserNamespaceMaps
{
    public static void Write(int pid, IReadOnlyList<IdMapping>? uids, IReadOnlyList<IdMapping>? gids)
    {
        bool rootless = Processes.EffectiveUserId != 0;
        if (rootless)
        {
            // An unprivileged writer may map only itself, and only after giving up setgroups.
            if (NeedsHelper(uids, Processes.EffectiveUserId) || NeedsHelper(gids, Processes.EffectiveGroupId))
            {
                RunHelper("newuidmap", pid, uids);
                RunHelper("newgidmap", pid, gids);
                return;
            }
            Files.WriteText($"/proc/{pid}/setgroups", "deny");
        }
        WriteMap($"/proc/{pid}/uid_map", uids, "linux.uidMappings");
        WriteMap($"/proc/{pid}/gid_map", gids, "linux.gidMappings");
    }

    static bool NeedsHelper(IReadOnlyList<IdMapping>? map, uint self)
        => map is { Count: > 1 } || (map is { Count: 1 } && (map[0].HostId != self || map[0].Size != 1));

    static void WriteMap(string file, IReadOnlyList<IdMapping>? map, string field)
    {
        if (map is not { Count: > 0 })
            return;
        var text = new StringBuilder();
        foreach (var m in map)
            text.Append($"{m.ContainerId} {m.HostId} {m.Size}\n");
        try
        {
            Files.WriteText(file, text.ToString());
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, $"{field}: the kernel refused the mapping ({LinuxException.Describe(e.Errno)})", e);
        }
    }

    static void RunHelper(string tool, int pid, IReadOnlyList<IdMapping>? map)
    {
        if (map is not { Count: > 0 })
            return;
        var args = new List<string> { tool, pid.ToString() };
        foreach (var m in map)
            args.AddRange([m.ContainerId.ToString(), m.HostId.ToString(), m.Size.ToString()]);
        string? path = new[] { "/usr/bin/", "/bin/", "/usr/sbin/" }.Select(d => d + tool).FirstOrDefault(File.Exists)
            ?? throw new RuntimeError(ErrorKind.Unsupported, $"rootless: mapping more than the own id needs {tool} (package uidmap)");
        int child = Processes.Spawn(new SpawnOptions { Path = path, Args = args });
        var status = Processes.Wait(child);
        if (status is { } s && (s.Signaled || s.Code != 0))
            throw new RuntimeError(ErrorKind.InvalidArgument, $"{tool} {pid} failed with status {s.ShellCode}");
    }
}
