namespace Berth.Engine.Containers;

/// <summary>
/// Docker's <c>--user</c> inside the container's file system: "name", "uid", "name:group",
/// "uid:gid", resolved through the rootfs's /etc/passwd and /etc/group; supplementary groups from
/// /etc/group membership and <c>--group-add</c>. Numeric ids need no entry.
/// </summary>
public static class UserResolver
{
    public sealed record Resolved(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);

    public static Resolved Resolve(string rootfs, string? user, IEnumerable<string>? groupAdd)
    {
        var passwd = ReadEntries(Path.Combine(rootfs, "etc/passwd"));
        var groups = ReadEntries(Path.Combine(rootfs, "etc/group"));
        string userPart = string.IsNullOrEmpty(user) ? "0" : user;
        string? groupPart = null;
        int colon = userPart.IndexOf(':');
        if (colon >= 0)
        {
            groupPart = userPart[(colon + 1)..];
            userPart = userPart[..colon];
        }

        uint uid;
        uint gid = 0;
        string home = "/";
        string? userName = null;
        var entry = passwd.FirstOrDefault(p => p[0] == userPart) ?? (uint.TryParse(userPart, out uint n) ? passwd.FirstOrDefault(p => p.Length > 2 && p[2] == userPart) : null);
        if (entry is not null && entry.Length >= 6 && uint.TryParse(entry[2], out uid) && uint.TryParse(entry[3], out gid))
        {
            userName = entry[0];
            home = entry[5];
        }
        else if (!uint.TryParse(userPart, out uid))
        {
            throw EngineException.Invalid($"unable to find user {userPart}: no matching entries in passwd file");
        }

        if (groupPart is not null)
            gid = ResolveGroup(groups, groupPart);

        var additional = new List<uint>();
        if (userName is not null)
        {
            foreach (var g in groups)
                if (g.Length >= 4 && g[3].Split(',').Contains(userName) && uint.TryParse(g[2], out uint member) && member != gid && !additional.Contains(member))
                    additional.Add(member);
        }
        foreach (string extra in groupAdd ?? [])
        {
            uint id = ResolveGroup(groups, extra);
            if (!additional.Contains(id))
                additional.Add(id);
        }
        return new Resolved(uid, gid, additional, home);
    }

    static uint ResolveGroup(List<string[]> groups, string group)
    {
        var entry = groups.FirstOrDefault(g => g[0] == group);
        if (entry is not null && entry.Length >= 3 && uint.TryParse(entry[2], out uint gid))
            return gid;
        if (uint.TryParse(group, out gid))
            return gid;
        throw EngineException.Invalid($"unable to find group {group}: no matching entries in group file");
    }

    static List<string[]> ReadEntries(string path)
    {
        var entries = new List<string[]>();
        if (!File.Exists(path))
            return entries;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            entries.Add(line.Split(':'));
        }
        return entries;
    }
}
