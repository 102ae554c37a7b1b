namespace Berth.Api.Daemon;

/// <summary>Gives the API socket to a group (dockerd's --group): members may use the engine without root.</summary>
static class SocketGroup
{
    public static void Apply(string socketPath, string group)
    {
        if (GroupId(group) is { } gid)
            Berth.Linux.Files.Chown(socketPath, 0, gid);
    }

    static uint? GroupId(string group)
    {
        const string file = "/etc/group";
        if (!File.Exists(file))
            return null;
        foreach (string line in File.ReadLines(file))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && uint.TryParse(fields[2], out uint gid))
                return gid;
        }
        return null;
    }
}
