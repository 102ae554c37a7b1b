using System.Runtime.InteropServices;

namespace Berth.Linux.Cgroups;

/// <summary>
/// The P/Invokes of the cgroup code: directory calls whose errno matters (EEXIST, EBUSY) and the
/// bpf(2) system call, which glibc does not wrap.
/// </summary>
internal static unsafe partial class CgroupNative
{
    const string Libc = "libc";

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmdir(string path);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long bpf_syscall(long number, long command, void* attr, long size);

    static readonly long BpfNumber = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 280 : 321;

    /// <summary>bpf(2); returns the result or -1 with the errno in the last P/Invoke error.</summary>
    internal static long bpf(int command, void* attr, int size) => bpf_syscall(BpfNumber, command, attr, size);
}
