using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>
/// What statx(2) says about a file that .NET does not: the whole st_mode (type, set-id and sticky
/// bits), the owner and the device number.
/// </summary>
public readonly record struct FileStatus(uint Mode, uint Uid, uint Gid, uint RdevMajor, uint RdevMinor)
{
    public const uint S_IFMT = 0xF000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

    /// <summary>The file type bits (S_IFDIR, S_IFREG, S_IFLNK, ...).</summary>
    public uint Type => Mode & S_IFMT;

    /// <summary>Permission, set-id and sticky bits (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Files.S_IFDIR;

    public bool IsRegularFile => Type == Files.S_IFREG;

    public bool IsSymlink => Type == S_IFLNK;

    /// <summary>stat(2) or, with <paramref name="followSymlinks"/> false, lstat(2) of a path.</summary>
    public static FileStatus Of(string path, bool followSymlinks)
        => Query(Libc.AT_FDCWD, path, followSymlinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW, path);

    /// <summary>fstat(2) of an open descriptor (O_PATH ones included).</summary>
    public static FileStatus Of(SafeFileHandle fd)
        => Query((int)fd.DangerousGetHandle(), "", Libc.AT_EMPTY_PATH, Files.ProcPath(fd));

    static unsafe FileStatus Query(int dirfd, string path, int flags, string what)
    {
        // struct statx: uid at 20, gid at 24, mode (16 bits) at 28, rdev major/minor at 128/132.
        var buffer = stackalloc byte[256];
        if (Libc.statx(dirfd, path, flags, Libc.STATX_BASIC_STATS, buffer) < 0)
            throw LinuxException.FromLastError($"stat {what}");
        return new FileStatus(
            Mode: *(ushort*)(buffer + 28),
            Uid: *(uint*)(buffer + 20),
            Gid: *(uint*)(buffer + 24),
            RdevMajor: *(uint*)(buffer + 128),
            RdevMinor: *(uint*)(buffer + 132));
    }
}
