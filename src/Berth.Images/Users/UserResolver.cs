namespace Berth.Images.Users;

/// <summary>
/// Docker's <c>--user</c> inside the container's file system: "name", "uid", "name:group",
/// "uid:gid", resolved through the rootfs's /etc/passwd and /etc/group; supplementary groups from
/// /etc/group membership and <c>--group-add</c>. Numeric ids need no entry. Also the builder's
/// <c>COPY --chown</c>, which reads the same files of the image being built. Unknown names throw
/// <see cref="StoreException"/> (InvalidArgument) with Docker's words.
/// </summary>
public static class UserResolver
{
    public sealed record Resolved(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);

    public static Resolved Resolve(string rootfs, string? user, IEnumerable<string>? groupAdd)
        => Resolve(name => File.Exists(Path.Combine(rootfs, name)) ? File.ReadLines(Path.Combine(rootfs, name)) : [], user, groupAdd);

    /// <summary>
    /// The same with the files read by <paramref name="readLines"/> ("etc/passwd" to its lines, none when it is
    /// missing): for a root reached through a descriptor rather than a host path.
    /// </summary>
    public static Resolved Resolve(Func<string, IEnumerable<string>> readLines, string? user, IEnumerable<string>? groupAdd)
    {
        var passwd = ReadEntries(readLines("etc/passwd"));
        var groups = ReadEntries(readLines("etc/group"));
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
            throw StoreException.Invalid($"unable to find user {userPart}: no matching entries in passwd file");
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
        throw StoreException.Invalid($"unable to find group {group}: no matching entries in group file");
    }

    /// <summary>
    /// dockerd's legacy builder's lookupUser: a number as it is, else the uid of the first passwd entry with that name
    /// (<c>no such user: NAME</c> when none).
    /// </summary>
    public static uint LookupUser(Func<string, IEnumerable<string>> readLines, string user)
    {
        if (uint.TryParse(user, out uint uid))
            return uid;
        var entry = ReadEntries(readLines("etc/passwd")).FirstOrDefault(p => p[0] == user);
        if (entry is not null && entry.Length >= 3 && uint.TryParse(entry[2], out uid))
            return uid;
        throw StoreException.Invalid($"no such user: {user}");
    }

    /// <summary>lookupGroup: a number as it is, else the gid of the first group entry with that name (<c>no such group: NAME</c>).</summary>
    public static uint LookupGroup(Func<string, IEnumerable<string>> readLines, string group)
    {
        if (uint.TryParse(group, out uint gid))
            return gid;
        var entry = ReadEntries(readLines("etc/group")).FirstOrDefault(g => g[0] == group);
        if (entry is not null && entry.Length >= 3 && uint.TryParse(entry[2], out gid))
            return gid;
        throw StoreException.Invalid($"no such group: {group}");
    }

    static List<string[]> ReadEntries(IEnumerable<string> lines)
    {
        var entries = new List<string[]>();
        foreach (string line in lines)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            entries.Add(line.Split(':'));
        }
        return entries;
    }
}
