namespace Berth.Linux.Seccomp;

/// <summary>Syscall names to the numbers libseccomp rules take.</summary>
public static class SeccompSyscalls
{
    /// <summary>
    /// The number of <paramref name="name"/> for the native architecture, or null if libseccomp knows no such
    /// syscall. Syscalls that exist only on other architectures of a filter (e.g. <c>socketcall</c> on x86_64)
    /// resolve to libseccomp's negative pseudo numbers, which rules accept.
    /// </summary>
    public static int? Resolve(string name)
    {
        if (name.Length == 0)
            return null;
        int nr = LibSeccomp.seccomp_syscall_resolve_name(name);
        return nr == LibSeccomp.NrScmpError ? null : nr;
    }

    /// <summary>The number of <paramref name="name"/> on one architecture (a <see cref="SeccompArch"/> token), or null.</summary>
    public static int? Resolve(uint archToken, string name)
    {
        if (name.Length == 0)
            return null;
        int nr = LibSeccomp.seccomp_syscall_resolve_name_arch(archToken, name);
        return nr == LibSeccomp.NrScmpError ? null : nr;
    }
}
