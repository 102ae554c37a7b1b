using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkfifo(string path, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int symlinkat(string target, int dirfd, string linkpath);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchown(int fd, uint uid, uint gid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchmod(int fd, uint mode);

    /// <summary>statx(2) into a 256-byte struct statx (glibc 2.28+).</summary>
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chdir(string path);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchdir(int fd);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chroot(string path);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial uint umask(uint mask);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial byte* getcwd(byte* buf, nuint size);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int memfd_create(string name, uint flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sync_file_range(int fd, long offset, long nbytes, uint flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint sendfile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int close_range(uint first, uint last, int flags);

    internal const int O_RDONLY = 0;
    internal const int O_WRONLY = 1;
    internal const int O_RDWR = 2;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_NOCTTY = 0x100;
    internal const int O_TRUNC = 0x200;
    internal const int O_APPEND = 0x400;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_PATH = 0x200000;

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_REMOVEDIR = 0x200;
    internal const int AT_EMPTY_PATH = 0x1000;

    internal const uint STATX_BASIC_STATS = 0x7ff;

    internal const uint MFD_CLOEXEC = 1;
    internal const uint MFD_ALLOW_SEALING = 2;

    internal const int CLOSE_RANGE_CLOEXEC = 4;

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    internal const uint RENAME_NOREPLACE = 1;
}

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int LOCK_UN = 8;
}
