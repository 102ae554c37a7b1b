using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>
/// Raw libseccomp entry points (<c>/usr/include/seccomp.h</c>, libseccomp 2.5). Functions that return
/// <c>int</c> return 0 or a negative errno; libseccomp does not set <c>errno</c>. The library name must stay
/// exactly <c>libseccomp.so.2</c>: the NativeAOT runtime links it directly under that name (DirectPInvoke).
/// </summary>
internal static unsafe partial class LibSeccomp
{
    internal const string Name = "libseccomp.so.2";

    /// <summary><c>__NR_SCMP_ERROR</c>: what the resolve functions return for an unknown name.</summary>
    internal const int NrScmpError = -1;

    [LibraryImport(Name)]
    internal static partial ScmpVersion* seccomp_version();

    [LibraryImport(Name)]
    internal static partial uint seccomp_api_get();

    [LibraryImport(Name)]
    internal static partial nint seccomp_init(uint defaultAction);

    [LibraryImport(Name)]
    internal static partial void seccomp_release(nint ctx);

    /// <summary>With a NULL context: resets libseccomp's process-wide state, closing the notify fd it keeps.</summary>
    [LibraryImport(Name)]
    internal static partial int seccomp_reset(nint ctx, uint defaultAction);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(Name)]
    internal static partial uint seccomp_arch_native();

    [LibraryImport(Name)]
    internal static partial int seccomp_arch_add(SeccompHandle ctx, uint archToken);

    [LibraryImport(Name)]
    internal static partial int seccomp_attr_set(SeccompHandle ctx, int attribute, uint value);

    [LibraryImport(Name)]
    internal static partial int seccomp_attr_get(SeccompHandle ctx, int attribute, uint* value);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int seccomp_syscall_resolve_name_arch(uint archToken, string name);

    [LibraryImport(Name)]
    internal static partial int seccomp_rule_add_array(SeccompHandle ctx, uint action, int syscall, uint count, SeccompCondition* conditions);

    [LibraryImport(Name)]
    internal static partial int seccomp_load(SeccompHandle ctx);

    [LibraryImport(Name)]
    internal static partial int seccomp_export_bpf(SeccompHandle ctx, int fd);

    /// <summary>libseccomp 2.5 keeps one notify fd per process, not per filter: the first loaded filter with a NOTIFY rule gets it.</summary>
    [LibraryImport(Name)]
    internal static partial int seccomp_notify_fd(SeccompHandle ctx);
}

/// <summary><c>struct scmp_version</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ScmpVersion
{
    public uint Major;
    public uint Minor;
    public uint Micro;
}
