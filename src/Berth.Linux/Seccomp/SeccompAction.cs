namespace Berth.Linux.Seccomp;

/// <summary>The action values of libseccomp (<c>SCMP_ACT_*</c>), which are the kernel's <c>SECCOMP_RET_*</c>.</summary>
public static class SeccompAction
{
    public const uint KillProcess = 0x80000000;
    /// <summary>Also <c>SCMP_ACT_KILL</c>.</summary>
    public const uint KillThread = 0x00000000;
    public const uint Trap = 0x00030000;
    public const uint Notify = 0x7fc00000;
    public const uint Log = 0x7ffc0000;
    public const uint Allow = 0x7fff0000;

    /// <summary>The largest errno libseccomp accepts in <see cref="Errno"/> (below the kernel's <c>MAX_ERRNO</c>, 4095).</summary>
    public const uint MaxErrno = 4094;

    /// <summary><c>SCMP_ACT_ERRNO(errno)</c>: the syscall fails with <paramref name="errno"/>.</summary>
    public static uint Errno(ushort errno) => 0x00050000u | errno;

    /// <summary><c>SCMP_ACT_TRACE(message)</c>: a ptrace tracer is notified with <paramref name="message"/>.</summary>
    public static uint Trace(ushort message) => 0x7ff00000u | message;
}
