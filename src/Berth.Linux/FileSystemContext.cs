using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// A file system mounted through the kernel's new mount API (fsopen, fsconfig, fsmount, move_mount).
/// Unlike mount(2), whose options travel as one string of at most a page, each option is its own
/// call here: an overlay can be given any number of lower directories one by one ("lowerdir+",
/// Linux 6.8), each up to 256 bytes. The kernel's own explanation of a refused option is read from
/// the context and put into the error.
/// </summary>
public sealed class FileSystemContext : IDisposable
{
    const int FSOPEN_CLOEXEC = 1;
    const int FSCONFIG_SET_FLAG = 0;
    const int FSCONFIG_SET_STRING = 1;
    const int FSCONFIG_CMD_CREATE = 6;
    const int FSMOUNT_CLOEXEC = 1;
    const int MOVE_MOUNT_F_EMPTY_PATH = 4;

    readonly string _fsType;
    int _fd;

    FileSystemContext(string fsType, int fd)
    {
        _fsType = fsType;
        _fd = fd;
    }

    /// <summary>fsopen(2): a context for a new file system of <paramref name="fsType"/>.</summary>
    public static FileSystemContext Open(string fsType)
    {
        long fd = Call(Syscalls.FsOpen, fsType, FSOPEN_CLOEXEC);
        if (fd < 0)
            throw LinuxException.FromLastError($"fsopen {fsType}");
        return new FileSystemContext(fsType, (int)fd);
    }

    /// <summary>fsconfig(FSCONFIG_SET_STRING): one option with a value ("lowerdir+", "/a/b").</summary>
    public void SetString(string key, string value)
    {
        if (Config(FSCONFIG_SET_STRING, key, value) < 0)
            throw Failure($"{key}={value}");
    }

    /// <summary>fsconfig(FSCONFIG_SET_FLAG): an option without a value ("ro").</summary>
    public void SetFlag(string key)
    {
        if (Config(FSCONFIG_SET_FLAG, key, null) < 0)
            throw Failure(key);
    }

    /// <summary>Creates the file system (FSCONFIG_CMD_CREATE) and attaches it at <paramref name="target"/>.</summary>
    public void MountAt(string target)
    {
        if (Libc.syscall(Syscalls.FsConfig, _fd, FSCONFIG_CMD_CREATE, 0, 0, 0) < 0)
            throw Failure("create");
        long mount = Libc.syscall(Syscalls.FsMount, _fd, FSMOUNT_CLOEXEC, 0, 0, 0);
        if (mount < 0)
            throw Failure("fsmount");
        try
        {
            nint empty = Marshal.StringToCoTaskMemUTF8("");
            nint to = Marshal.StringToCoTaskMemUTF8(target);
            try
            {
                if (Libc.syscall(Syscalls.MoveMount, mount, empty, Libc.AT_FDCWD, to, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                    throw LinuxException.FromLastError($"move_mount {_fsType} to {target}");
            }
            finally
            {
                Marshal.FreeCoTaskMem(empty);
                Marshal.FreeCoTaskMem(to);
            }
        }
        finally
        {
            Libc.close((int)mount);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
            Libc.close(_fd);
        _fd = -1;
    }

    long Config(int command, string key, string? value)
    {
        nint k = Marshal.StringToCoTaskMemUTF8(key);
        nint v = value is null ? 0 : Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            return Libc.syscall(Syscalls.FsConfig, _fd, command, k, v, 0);
        }
        finally
        {
            Marshal.FreeCoTaskMem(k);
            if (v != 0)
                Marshal.FreeCoTaskMem(v);
        }
    }

    /// <summary>The error of the last call, with what the kernel logged into the context ("e overlayfs: ...").</summary>
    unsafe LinuxException Failure(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        var log = new StringBuilder();
        byte* buffer = stackalloc byte[1024];
        while (true)
        {
            int n = (int)Libc.read(_fd, buffer, 1024);
            if (n <= 0)
                break;
            if (log.Length > 0)
                log.Append("; ");
            log.Append(Encoding.UTF8.GetString(buffer, n).TrimEnd('\n'));
        }
        string detail = log.Length > 0 ? $" ({log})" : "";
        return new LinuxException(errno, $"mount {_fsType}: {what}{detail}");
    }

    static long Call(long number, string text, long a2)
    {
        nint p = Marshal.StringToCoTaskMemUTF8(text);
        try
        {
            return Libc.syscall(number, p, a2, 0, 0, 0);
        }
        finally
        {
            Marshal.FreeCoTaskMem(p);
        }
    }
}
