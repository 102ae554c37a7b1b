using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>setgroups, setresgid and setresuid. glibc applies them to every thread of the process.</summary>
public static unsafe class Credentials
{
    public static void SetGroups(IReadOnlyList<uint> groups)
    {
        var list = stackalloc uint[Math.Max(groups.Count, 1)];
        for (int i = 0; i < groups.Count; i++)
            list[i] = groups[i];
        if (Libc.setgroups((nuint)groups.Count, list) < 0)
            throw LinuxException.FromLastError("setgroups");
    }

    public static void SetGid(uint gid)
    {
        if (Libc.setresgid(gid, gid, gid) < 0)
            throw LinuxException.FromLastError($"setresgid {gid}");
    }

    public static void SetUid(uint uid)
    {
        if (Libc.setresuid(uid, uid, uid) < 0)
            throw LinuxException.FromLastError($"setresuid {uid}");
    }

    public static uint SetUmask(uint mask) => Libc.umask(mask);
}
