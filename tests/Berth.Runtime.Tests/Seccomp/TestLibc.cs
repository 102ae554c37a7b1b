using System.Runtime.InteropServices;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>The libc calls the seccomp tests make from a filtered thread; each returns -1 and sets errno when denied.</summary>
internal static class TestLibc
{
    public const int AF_UNIX = 1;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_VSOCK = 40;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const long SysClone3 = 435;

    [DllImport("libc", SetLastError = true)]
    public static extern int getpid();

    [DllImport("libc", SetLastError = true)]
    public static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    public static extern int personality(ulong persona);

    [DllImport("libc", SetLastError = true)]
    public static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern long syscall(long number, long a1, long a2);

    /// <summary>
    /// The result of a call, and errno if it failed. glibc's wrappers of calls that cannot fail (getpid, getppid)
    /// return the kernel's -errno instead of setting errno; those come back as (-1, errno) too.
    /// </summary>
    public static (int Result, int Errno) Call(Func<int> call)
    {
        int result = call();
        if (result < -1)
            return (-1, -result);
        return (result, result < 0 ? Marshal.GetLastPInvokeError() : 0);
    }

    /// <summary>What an fd of this process is (<c>/proc/self/fd/N</c>), e.g. <c>anon_inode:seccomp notify</c>.</summary>
    public static string? Describe(Microsoft.Win32.SafeHandles.SafeFileHandle fd) =>
        new FileInfo($"/proc/self/fd/{fd.DangerousGetHandle()}").LinkTarget;

    /// <summary>socket(2), closing the socket again if it was made.</summary>
    public static (int Result, int Errno) Socket(int domain, int type = SOCK_STREAM)
    {
        var r = Call(() => socket(domain, type | SOCK_CLOEXEC, 0));
        if (r.Result >= 0)
            close(r.Result);
        return r;
    }

    /// <summary>Whether the call succeeded, or else its errno: 0 for success.</summary>
    public static int ErrnoOf((int Result, int Errno) call) => call.Result >= 0 ? 0 : call.Errno;
}
