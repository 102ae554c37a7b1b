using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>The kinds of Linux namespace, with their clone flag and their name under /proc/PID/ns.</summary>
public enum NamespaceKind
{
    Mount,
    Pid,
    Network,
    Uts,
    Ipc,
    User,
    Cgroup,
    Time,
}

public static class Namespaces
{
    public const int CloneNewNs = 0x00020000;
    public const int CloneNewCgroup = 0x02000000;
    public const int CloneNewUts = 0x04000000;
    public const int CloneNewIpc = 0x08000000;
    public const int CloneNewUser = 0x10000000;
    public const int CloneNewPid = 0x20000000;
    public const int CloneNewNet = 0x40000000;
    public const int CloneNewTime = 0x00000080;

    public static int CloneFlag(NamespaceKind kind) => kind switch
    {
        NamespaceKind.Mount => CloneNewNs,
        NamespaceKind.Pid => CloneNewPid,
        NamespaceKind.Network => CloneNewNet,
        NamespaceKind.Uts => CloneNewUts,
        NamespaceKind.Ipc => CloneNewIpc,
        NamespaceKind.User => CloneNewUser,
        NamespaceKind.Cgroup => CloneNewCgroup,
        NamespaceKind.Time => CloneNewTime,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The entry under /proc/PID/ns/.</summary>
    public static string ProcName(NamespaceKind kind) => kind switch
    {
        NamespaceKind.Mount => "mnt",
        NamespaceKind.Pid => "pid",
        NamespaceKind.Network => "net",
        NamespaceKind.Uts => "uts",
        NamespaceKind.Ipc => "ipc",
        NamespaceKind.User => "user",
        NamespaceKind.Cgroup => "cgroup",
        NamespaceKind.Time => "time",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Whether this kernel has the namespace kind at all.</summary>
    public static bool IsSupported(NamespaceKind kind) => File.Exists($"/proc/self/ns/{ProcName(kind)}");

    /// <summary>unshare(2) for kinds a multi-threaded process may leave (uts, ipc, net, cgroup).</summary>
    public static void Unshare(int cloneFlags)
    {
        if (Libc.unshare(cloneFlags) < 0)
            throw LinuxException.FromLastError($"unshare 0x{cloneFlags:x}");
    }

    public static void Join(SafeFileHandle nsFd, NamespaceKind kind)
    {
        if (Libc.setns((int)nsFd.DangerousGetHandle(), CloneFlag(kind)) < 0)
            throw LinuxException.FromLastError($"setns {ProcName(kind)}");
    }

    /// <summary>The identity of a namespace file (its inode), for comparing two processes' namespaces.</summary>
    public static string? Identity(int pid, NamespaceKind kind)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/{ProcName(kind)}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
