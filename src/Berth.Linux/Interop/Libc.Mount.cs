using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setns(int fd, int nstype);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sethostname(byte* name, nuint len);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setdomainname(byte* name, nuint len);
}

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statfs(string path, StatFs* buf);
}

/// <summary>struct statfs (64-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StatFs
{
    public long Type;
    public long BlockSize;
    public ulong Blocks, BlocksFree, BlocksAvailable, Files, FilesFree;
    public ulong FsId;
    public long NameLength;
    public long FragmentSize;
    public long Flags;
    public fixed long Spare[4];
}
