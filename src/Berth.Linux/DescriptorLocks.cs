using System.Runtime.InteropServices;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>
/// flock(2) on a descriptor that stays the caller's, unlike <see cref="FileLock"/>, which opens the file itself: for a
/// lock on the very file a process reads or writes. The lock belongs to the open file description and ends with
/// <see cref="Release"/> or the description's last close (or the process's death).
/// </summary>
public static class DescriptorLocks
{
    /// <summary>Blocks until an exclusive (or shared) lock on <paramref name="file"/> is held.</summary>
    public static void Acquire(SafeFileHandle file, bool exclusive) => Call(file, exclusive ? Libc.LOCK_EX : Libc.LOCK_SH, "lock");

    /// <summary>Takes the lock if nobody holds a conflicting one; false when somebody does.</summary>
    public static bool TryAcquire(SafeFileHandle file, bool exclusive)
    {
        while (Libc.flock((int)file.DangerousGetHandle(), (exclusive ? Libc.LOCK_EX : Libc.LOCK_SH) | Libc.LOCK_NB) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
                return false;
            if (errno != Errno.EINTR)
                throw new LinuxException(errno, $"lock fd {file.DangerousGetHandle()}");
        }
        return true;
    }

    public static void Release(SafeFileHandle file) => Call(file, Libc.LOCK_UN, "unlock");

    static void Call(SafeFileHandle file, int operation, string what)
    {
        while (Libc.flock((int)file.DangerousGetHandle(), operation) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw new LinuxException(errno, $"{what} fd {file.DangerousGetHandle()}");
        }
    }
}
