using System.Runtime.InteropServices;

namespace Berth.Linux.Tests.Seccomp;

/// <summary>The libc calls the seccomp tests make from a filtered thread; each returns -1 and sets errno when denied.</summary>
internal static class TestLibc
{
    public const int AF_UNIX = 1;
    public const int AF_INET = 2;
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;

    [DllImport("libc", SetLastError = true)]
    public static extern int getpid();

    [DllImport("libc", SetLastError = true)]
    public static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    public static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int ioctl(int fd, ulong request, byte[] argument);

    [DllImport("libc", SetLastError = true)]
    public static extern int poll(ref PollFd fds, ulong count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

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
    public static (int Result, int Errno) Socket(int domain, int type)
    {
        var r = Call(() => socket(domain, type | SOCK_CLOEXEC, 0));
        if (r.Result >= 0)
            close(r.Result);
        return r;
    }
}
