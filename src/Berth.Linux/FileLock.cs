using System.Runtime.InteropServices;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>An advisory flock(2) held until disposed; the kernel drops it if the process dies.</summary>
public sealed class FileLock : IDisposable
{
    readonly SafeFileHandle _fd;

    FileLock(SafeFileHandle fd) => _fd = fd;

    /// <summary>Blocks until an exclusive (or shared) lock on the file or directory is held.</summary>
    public static FileLock Acquire(string path, bool exclusive = true)
    {
        var fd = Files.Open(path, OpenFlags.ReadOnly);
        while (Libc.flock((int)fd.DangerousGetHandle(), exclusive ? Libc.LOCK_EX : Libc.LOCK_SH) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
                continue;
            fd.Dispose();
            throw new LinuxException(errno, $"lock {path}");
        }
        return new FileLock(fd);
    }

    public void Dispose() => _fd.Dispose();
}
