using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// The *at family and xattr calls with raw, NUL-terminated byte paths: file names on Linux are bytes,
/// not necessarily UTF-8, and the hot paths (layer extraction, tree walks) must neither lose such a
/// name nor allocate a string per call. A class of its own so that it never collides with
/// <see cref="Libc"/>'s string overloads.
/// </summary>
internal static unsafe partial class LibcAt
{
    const string Name = Libc.Name;

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int openat(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int mkdirat(int dirfd, byte* path, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int mknodat(int dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int symlinkat(byte* target, int dirfd, byte* linkpath);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int linkat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int unlinkat(int dirfd, byte* path, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchownat(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchmodat(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int utimensat(int dirfd, byte* path, long* times, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int futimens(int fd, long* times);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint readlinkat(int dirfd, byte* path, byte* buf, nint size);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint pwrite(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint getdents64(int fd, byte* buffer, nint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchown(int fd, uint uid, uint gid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchmod(int fd, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint flistxattr(int fd, byte* list, nint size);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint fgetxattr(int fd, byte* name, byte* value, nint size);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fsetxattr(int fd, byte* name, byte* value, nint size, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint llistxattr(byte* path, byte* list, nint size);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint lgetxattr(byte* path, byte* name, byte* value, nint size);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int lsetxattr(byte* path, byte* name, byte* value, nint size, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int lremovexattr(byte* path, byte* name);

    internal const int AT_REMOVEDIR = 0x200;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_BASIC_STATS = 0x7ff;
}
