using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Seccomp;

/// <summary>What the running kernel supports, probed with seccomp(2) the way libseccomp probes it.</summary>
public static unsafe class SeccompKernel
{
    public const uint FlagTsync = 1;
    public const uint FlagLog = 2;
    public const uint FlagSpecAllow = 4;
    public const uint FlagNewListener = 8;
    public const uint FlagTsyncEsrch = 16;
    public const uint FlagWaitKillableRecv = 32;

    const long SetModeStrict = 0;
    const long SetModeFilter = 1;
    const long GetActionAvail = 2;
    const int EFAULT = 14;

    /// <summary>seccomp(2) exists: an invalid strict-mode call fails with EINVAL rather than ENOSYS.</summary>
    public static bool IsAvailable =>
        Libc.syscall(Syscalls.Seccomp, SetModeStrict, 1, 0, 0, 0) < 0 && Marshal.GetLastPInvokeError() == Errno.EINVAL;

    /// <summary>
    /// The kernel knows <c>SECCOMP_FILTER_FLAG_*</c> <paramref name="flag"/>: installing a NULL program with it
    /// fails with EFAULT (a known flag) instead of EINVAL. Nothing is installed either way.
    /// </summary>
    public static bool IsFilterFlagSupported(uint flag) =>
        Libc.syscall(Syscalls.Seccomp, SetModeFilter, flag, 0, 0, 0) < 0 && Marshal.GetLastPInvokeError() == EFAULT;

    /// <summary>
    /// Installs a BPF program (<c>struct sock_filter</c> array, 8 bytes per instruction, as libseccomp exports it)
    /// with seccomp(SECCOMP_SET_MODE_FILTER) and <c>SECCOMP_FILTER_FLAG_*</c> <paramref name="flags"/>: what
    /// <c>seccomp_load</c> does once the filter is built. Without no_new_privs the caller needs CAP_SYS_ADMIN.
    /// </summary>
    public static void InstallFilter(ReadOnlySpan<byte> program, uint flags)
    {
        if (program.Length == 0 || program.Length % 8 != 0 || program.Length / 8 > ushort.MaxValue)
            throw new LinuxException(Errno.EINVAL, $"seccomp: a BPF program of {program.Length} bytes");
        fixed (byte* filter = program)
        {
            var fprog = new SockFprog { Length = (ushort)(program.Length / 8), Filter = filter };
            long rc = Libc.syscall(Syscalls.Seccomp, SetModeFilter, flags, (long)&fprog, 0, 0);
            if (rc < 0)
                throw LinuxException.FromLastError("seccomp(SECCOMP_SET_MODE_FILTER)");
            // With TSYNC a positive result is the id of a thread that could not be synchronised.
            if (rc > 0)
                throw new LinuxException(Errno.ESRCH, $"seccomp(SECCOMP_SET_MODE_FILTER): thread {rc} could not take the filter (TSYNC)");
        }
    }

    /// <summary><c>struct sock_fprog</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct SockFprog
    {
        public ushort Length;
        public byte* Filter;
    }

    /// <summary>The kernel implements <paramref name="action"/> (a <see cref="SeccompAction"/> value, SECCOMP_GET_ACTION_AVAIL).</summary>
    public static bool IsActionAvailable(uint action) =>
        Libc.syscall(Syscalls.Seccomp, GetActionAvail, 0, (long)&action, 0, 0) == 0;
}
