using System.Runtime.InteropServices;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Seccomp;

/// <summary>
/// A seccomp filter being built with libseccomp: architectures, attributes and rules, then loaded into
/// the calling thread (or every thread with <see cref="SeccompAttribute.ThreadSync"/>) or exported as BPF.
/// Errors are <see cref="LinuxException"/>s carrying the errno libseccomp returned.
/// </summary>
public sealed unsafe class SeccompContext : IDisposable
{
    const int F_DUPFD_CLOEXEC = 1030;

    readonly SeccompHandle handle;

    SeccompContext(SeccompHandle handle) => this.handle = handle;

    /// <summary>A new filter for the native architecture whose unmatched syscalls get <paramref name="defaultAction"/>.</summary>
    public static SeccompContext Create(uint defaultAction)
    {
        nint context = LibSeccomp.seccomp_init(defaultAction);
        if (context == 0)
            throw new LinuxException(Errno.EINVAL, $"seccomp_init with default action {defaultAction:x8}");
        return new SeccompContext(new SeccompHandle(context));
    }

    /// <summary>Adds an architecture (a <see cref="SeccompArch"/> token); false if the filter already has it.</summary>
    public bool AddArchitecture(uint archToken)
    {
        int rc = LibSeccomp.seccomp_arch_add(handle, archToken);
        if (rc == -Errno.EEXIST)
            return false;
        if (rc < 0)
            throw Failure(rc, $"seccomp_arch_add {SeccompArch.Name(archToken)}");
        return true;
    }

    public void SetAttribute(SeccompAttribute attribute, uint value)
    {
        int rc = LibSeccomp.seccomp_attr_set(handle, (int)attribute, value);
        if (rc < 0)
            throw Failure(rc, $"seccomp_attr_set {attribute}={value}");
    }

    /// <summary>Sets an attribute; false (not an exception) when this libseccomp does not know or allow it.</summary>
    public bool TrySetAttribute(SeccompAttribute attribute, uint value) =>
        LibSeccomp.seccomp_attr_set(handle, (int)attribute, value) == 0;

    public uint GetAttribute(SeccompAttribute attribute)
    {
        uint value;
        int rc = LibSeccomp.seccomp_attr_get(handle, (int)attribute, &value);
        if (rc < 0)
            throw Failure(rc, $"seccomp_attr_get {attribute}");
        return value;
    }

    /// <summary>
    /// Adds a rule for <paramref name="syscall"/> (from <see cref="SeccompSyscalls.Resolve(string)"/>, interpreted
    /// for the native architecture and translated for the others, as <c>seccomp_rule_add_array</c> does).
    /// Every condition must hold for the rule to match, and each argument may appear only once.
    /// </summary>
    public void AddRule(uint action, int syscall, ReadOnlySpan<SeccompCondition> conditions, string? syscallName = null)
    {
        fixed (SeccompCondition* array = conditions)
        {
            int rc = LibSeccomp.seccomp_rule_add_array(handle, action, syscall, (uint)conditions.Length, conditions.Length > 0 ? array : null);
            if (rc < 0)
                throw Failure(rc, $"seccomp_rule_add {syscallName ?? syscall.ToString()}");
        }
    }

    /// <summary>Loads the filter into the kernel; from now on it applies to the calling thread (all threads with TSYNC).</summary>
    public void Load()
    {
        int rc = LibSeccomp.seccomp_load(handle);
        if (rc < 0)
            throw Failure(rc, "seccomp_load");
    }

    /// <summary>
    /// The user-notification fd of the loaded filter (it has <see cref="SeccompAction.Notify"/> rules), or null;
    /// the caller owns it. libseccomp 2.5 keeps that fd process-wide and gives no new one to later filters while it
    /// holds it, so this takes a close-on-exec copy and resets libseccomp's state, which closes its own.
    /// </summary>
    public SafeFileHandle? TakeNotifyFd()
    {
        int fd = LibSeccomp.seccomp_notify_fd(handle);
        if (fd < 0)
            return null;
        int copy = Libc.fcntl(fd, F_DUPFD_CLOEXEC, 3);
        int errno = Marshal.GetLastPInvokeError();
        LibSeccomp.seccomp_reset(0, 0);
        if (copy < 0)
            throw new LinuxException(errno, "duplicate the seccomp notify fd");
        return new SafeFileHandle(copy, ownsHandle: true);
    }

    /// <summary>Writes the filter as a BPF program (<c>struct sock_filter</c> array, 8 bytes per instruction) to <paramref name="fd"/>.</summary>
    public void ExportBpf(SafeFileHandle fd)
    {
        int rc = LibSeccomp.seccomp_export_bpf(handle, (int)fd.DangerousGetHandle());
        if (rc < 0)
            throw Failure(rc, "seccomp_export_bpf");
    }

    /// <summary>The filter as a BPF program, through a memfd.</summary>
    public byte[] ExportBpf()
    {
        int memfd = Libc.memfd_create("berth-seccomp-bpf", Libc.MFD_CLOEXEC);
        if (memfd < 0)
            throw LinuxException.FromLastError("memfd_create");
        using var file = new SafeFileHandle(memfd, ownsHandle: true);
        ExportBpf(file);
        var program = new byte[RandomAccess.GetLength(file)];
        int read = 0;
        while (read < program.Length)
        {
            int n = RandomAccess.Read(file, program.AsSpan(read), read);
            if (n == 0)
                break;
            read += n;
        }
        return program;
    }

    public void Dispose() => handle.Dispose();

    /// <summary>libseccomp returns -errno and leaves errno alone.</summary>
    static LinuxException Failure(int rc, string operation) => new(-rc, operation);
}
