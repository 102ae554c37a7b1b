using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Session keyrings (keyctl), so containers do not share the host's.</summary>
public static class Keyrings
{
    const long KEYCTL_JOIN_SESSION_KEYRING = 1;

    /// <summary>Joins a new anonymous-named session keyring; false if the kernel has no keyrings (ENOSYS).</summary>
    public static bool JoinNewSession(string name)
    {
        nint p = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            if (Libc.syscall(Syscalls.Keyctl, KEYCTL_JOIN_SESSION_KEYRING, p, 0, 0, 0) >= 0)
                return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENOSYS or Errno.EPERM)
                return false;
            throw new LinuxException(errno, "join session keyring");
        }
        finally
        {
            Marshal.FreeCoTaskMem(p);
        }
    }
}
