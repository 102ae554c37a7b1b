using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// File calls relative to an open directory, with raw byte names (file names on Linux are bytes),
/// plain int descriptors and errno results instead of exceptions: the hot paths of layer
/// extraction and tree walks, which make a handful of calls per file and must not allocate for
/// them. Calls that return a descriptor return it or -errno; the others return 0 or the errno.
/// The caller owns every descriptor it gets and closes it with <see cref="Close"/>.
/// None of these follows a symlink in the last component unless it says so.
/// </summary>
public static unsafe class FilesAt
{
    public const int SeekData = 3, SeekHole = 4;

    static int Error() => Marshal.GetLastPInvokeError();

    /// <summary>openat(2); O_CLOEXEC is always added.</summary>
    public static int Open(int dirFd, ReadOnlySpan<byte> name, OpenFlags flags, uint mode = 0)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return -Errno.EINVAL;
        fixed (byte* p = path.Span)
        {
            while (true)
            {
                int fd = LibcAt.openat(dirFd, p, (int)flags | Libc.O_CLOEXEC, mode);
                if (fd >= 0)
                    return fd;
                int errno = Error();
                if (errno != Errno.EINTR)
                    return -errno;
            }
        }
    }

    /// <summary>
    /// openat2(2) of <paramref name="path"/> with the kernel resolving every component below
    /// <paramref name="rootFd"/> as <paramref name="resolve"/> says (RESOLVE_IN_ROOT: symlinks and ".."
    /// as if the root were "/"). Retries the EAGAIN the kernel returns when a rename raced the walk.
    /// </summary>
    public static int OpenInRoot(int rootFd, ReadOnlySpan<byte> path, OpenFlags flags, ResolveFlags resolve, uint mode = 0)
    {
        using var cpath = new CString(path.IsEmpty ? "."u8 : path, stackalloc byte[CString.StackSize]);
        if (!cpath.Valid)
            return -Errno.EINVAL;
        var how = stackalloc ulong[3];
        how[0] = (ulong)((int)flags | Libc.O_CLOEXEC);
        how[1] = (flags & OpenFlags.Create) != 0 ? mode : 0;
        how[2] = (ulong)resolve;
        fixed (byte* p = cpath.Span)
        {
            for (int attempt = 0; ; attempt++)
            {
                long fd = Libc.syscall(Syscalls.Openat2, rootFd, (long)p, (long)how, 24, 0);
                if (fd >= 0)
                    return (int)fd;
                int errno = Error();
                if (errno == Errno.EINTR || (errno == Errno.EAGAIN && attempt < 32))
                    continue;
                return -errno;
            }
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
            Libc.close(fd);
    }

    public static int MakeDirectory(int dirFd, ReadOnlySpan<byte> name, uint mode)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
            return LibcAt.mkdirat(dirFd, p, mode) < 0 ? Error() : 0;
    }

    /// <summary>mknodat(2); <paramref name="mode"/> carries the type (S_IFCHR, S_IFBLK, S_IFIFO).</summary>
    public static int MakeNode(int dirFd, ReadOnlySpan<byte> name, uint mode, uint major, uint minor)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
            return LibcAt.mknodat(dirFd, p, mode, Files.MakeDev(major, minor)) < 0 ? Error() : 0;
    }

    public static int Symlink(ReadOnlySpan<byte> target, int dirFd, ReadOnlySpan<byte> name)
    {
        using var ctarget = new CString(target, stackalloc byte[CString.StackSize]);
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!ctarget.Valid || !path.Valid)
            return Errno.EINVAL;
        fixed (byte* t = ctarget.Span)
        fixed (byte* p = path.Span)
            return LibcAt.symlinkat(t, dirFd, p) < 0 ? Error() : 0;
    }

    /// <summary>linkat(2) without AT_SYMLINK_FOLLOW: a link to a symlink links the symlink itself.</summary>
    public static int Link(int oldDirFd, ReadOnlySpan<byte> oldName, int newDirFd, ReadOnlySpan<byte> newName)
    {
        using var from = new CString(oldName, stackalloc byte[CString.StackSize]);
        using var to = new CString(newName, stackalloc byte[CString.StackSize]);
        if (!from.Valid || !to.Valid)
            return Errno.EINVAL;
        fixed (byte* f = from.Span)
        fixed (byte* t = to.Span)
            return LibcAt.linkat(oldDirFd, f, newDirFd, t, 0) < 0 ? Error() : 0;
    }

    /// <summary>unlinkat(2); <paramref name="directory"/> removes an empty directory (AT_REMOVEDIR).</summary>
    public static int Unlink(int dirFd, ReadOnlySpan<byte> name, bool directory)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
            return LibcAt.unlinkat(dirFd, p, directory ? LibcAt.AT_REMOVEDIR : 0) < 0 ? Error() : 0;
    }

    /// <summary>fchownat(2) with AT_SYMLINK_NOFOLLOW: a symlink gets the owner, not its target.</summary>
    public static int ChownNoFollow(int dirFd, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
            return LibcAt.fchownat(dirFd, p, uid, gid, LibcAt.AT_SYMLINK_NOFOLLOW) < 0 ? Error() : 0;
    }

    /// <summary>
    /// fchmodat(2). It follows a symlink in the last component (Linux cannot chmod a symlink), so
    /// callers use it only on an entry they know is no symlink (a directory they just made).
    /// </summary>
    public static int Chmod(int dirFd, ReadOnlySpan<byte> name, uint mode)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
            return LibcAt.fchmodat(dirFd, p, mode, 0) < 0 ? Error() : 0;
    }

    public static int Chown(int fd, uint uid, uint gid) => LibcAt.fchown(fd, uid, gid) < 0 ? Error() : 0;

    public static int Chmod(int fd, uint mode) => LibcAt.fchmod(fd, mode) < 0 ? Error() : 0;

    /// <summary>utimensat(2) with AT_SYMLINK_NOFOLLOW: a symlink gets the times, not its target.</summary>
    public static int SetTimesNoFollow(int dirFd, ReadOnlySpan<byte> name, in FileTimes times)
    {
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        var ts = stackalloc long[4] { times.AtimeSeconds, times.AtimeNanoseconds, times.MtimeSeconds, times.MtimeNanoseconds };
        fixed (byte* p = path.Span)
            return LibcAt.utimensat(dirFd, p, ts, LibcAt.AT_SYMLINK_NOFOLLOW) < 0 ? Error() : 0;
    }

    /// <summary>futimens(2) of an open file.</summary>
    public static int SetTimes(int fd, in FileTimes times)
    {
        var ts = stackalloc long[4] { times.AtimeSeconds, times.AtimeNanoseconds, times.MtimeSeconds, times.MtimeNanoseconds };
        return LibcAt.futimens(fd, ts) < 0 ? Error() : 0;
    }

    /// <summary>readlinkat(2) into <paramref name="buffer"/>; ENAMETOOLONG when it does not fit.</summary>
    public static int ReadLink(int dirFd, ReadOnlySpan<byte> name, Span<byte> buffer, out int length)
    {
        length = 0;
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        fixed (byte* p = path.Span)
        fixed (byte* b = buffer)
        {
            nint n = LibcAt.readlinkat(dirFd, p, b, buffer.Length);
            if (n < 0)
                return Error();
            if (n == buffer.Length)
                return 36; // ENAMETOOLONG: the target may have been cut
            length = (int)n;
            return 0;
        }
    }

    /// <summary>statx(2) of a name below a directory; <paramref name="followSymlinks"/> false is lstat.</summary>
    public static int Stat(int dirFd, ReadOnlySpan<byte> name, bool followSymlinks, out FileStat stat)
    {
        stat = default;
        using var path = new CString(name, stackalloc byte[CString.StackSize]);
        if (!path.Valid)
            return Errno.EINVAL;
        var buffer = stackalloc byte[256];
        fixed (byte* p = path.Span)
        {
            if (LibcAt.statx(dirFd, p, followSymlinks ? 0 : LibcAt.AT_SYMLINK_NOFOLLOW, LibcAt.STATX_BASIC_STATS, buffer) < 0)
                return Error();
        }
        stat = FileStat.FromStatx(buffer);
        return 0;
    }

    /// <summary>statx(2) of an open descriptor (O_PATH ones included).</summary>
    public static int Stat(int fd, out FileStat stat)
    {
        stat = default;
        var buffer = stackalloc byte[256];
        byte empty = 0;
        if (LibcAt.statx(fd, &empty, LibcAt.AT_EMPTY_PATH, LibcAt.STATX_BASIC_STATS, buffer) < 0)
            return Error();
        stat = FileStat.FromStatx(buffer);
        return 0;
    }

    /// <summary>Writes all of <paramref name="data"/> at the file position.</summary>
    public static int Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = Libc.write(fd, p + done, data.Length - done);
                if (n < 0)
                {
                    int errno = Error();
                    if (errno == Errno.EINTR)
                        continue;
                    return errno;
                }
                done += (int)n;
            }
            return 0;
        }
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> (pwrite(2)).</summary>
    public static int WriteAt(int fd, ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = LibcAt.pwrite(fd, p + done, data.Length - done, offset + done);
                if (n < 0)
                {
                    int errno = Error();
                    if (errno == Errno.EINTR)
                        continue;
                    return errno;
                }
                done += (int)n;
            }
            return 0;
        }
    }

    /// <summary>read(2): the byte count, 0 at end of file, or -errno.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.read(fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                int errno = Error();
                if (errno != Errno.EINTR)
                    return -errno;
            }
        }
    }

    public static int Truncate(int fd, long length) => LibcAt.ftruncate(fd, length) < 0 ? Error() : 0;

    /// <summary>lseek(2), with <see cref="SeekData"/> and <see cref="SeekHole"/> for sparse files: the offset or -errno.</summary>
    public static long Seek(int fd, long offset, int whence)
    {
        long r = LibcAt.lseek(fd, offset, whence);
        return r < 0 ? -Error() : r;
    }

    /// <summary>
    /// getdents64(2): fills <paramref name="buffer"/> with directory records (read them with
    /// <see cref="DirectoryEntries"/>); the byte count, 0 at the end, or -errno.
    /// </summary>
    public static int ReadDirectory(int dirFd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = LibcAt.getdents64(dirFd, p, buffer.Length);
            return n < 0 ? -Error() : (int)n;
        }
    }
}
