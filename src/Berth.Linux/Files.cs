using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>open(2) flags; O_CLOEXEC is always added.</summary>
[Flags]
public enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    Create = 0x40,
    Exclusive = 0x80,
    NoCtty = 0x100,
    Truncate = 0x200,
    Append = 0x400,
    NonBlocking = 0x800,
    Directory = 0x10000,
    NoFollow = 0x20000,
    Path = 0x200000,
}

/// <summary>How <see cref="Files.OpenInRoot"/> resolves a path (openat2 RESOLVE_* flags).</summary>
[Flags]
public enum ResolveFlags : ulong
{
    None = 0,
    NoXdev = 0x01,
    NoMagicLinks = 0x02,
    NoSymlinks = 0x04,
    Beneath = 0x08,
    InRoot = 0x10,
}

/// <summary>File-system calls .NET has no API for: device nodes, fifos, openat2, memfd, descriptors.</summary>
public static unsafe class Files
{
    public const uint S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000, S_IFREG = 0x8000;

    public static ulong MakeDev(uint major, uint minor)
        => ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static void MakeNode(string path, uint mode, uint major, uint minor)
    {
        if (Libc.mknod(path, mode, MakeDev(major, minor)) < 0)
            throw LinuxException.FromLastError($"mknod {path}");
    }

    /// <summary>mkdir(2) with an exact mode; returns the errno, 0 on success (EEXIST tells a race's loser).</summary>
    public static int TryMakeDirectory(string path, uint mode)
        => Libc.mkdirat(Libc.AT_FDCWD, path, mode) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>mkdirat(2) below an open directory (O_PATH is enough); returns the errno, 0 on success.</summary>
    public static int TryMakeDirectoryAt(SafeFileHandle dir, string name, uint mode)
        => Libc.mkdirat((int)dir.DangerousGetHandle(), name, mode) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>mknodat(2) below an open directory.</summary>
    public static void MakeNodeAt(SafeFileHandle dir, string name, uint mode, uint major, uint minor)
    {
        if (Libc.mknodat((int)dir.DangerousGetHandle(), name, mode, MakeDev(major, minor)) < 0)
            throw LinuxException.FromLastError($"mknod {name}");
    }

    /// <summary>symlinkat(2) below an open directory; returns the errno, 0 on success.</summary>
    public static int TrySymlinkAt(string target, SafeFileHandle dir, string name)
        => Libc.symlinkat(target, (int)dir.DangerousGetHandle(), name) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>unlinkat(2) of a non-directory; returns the errno, 0 on success.</summary>
    public static int TryUnlinkAt(SafeFileHandle dir, string name)
        => Libc.unlinkat((int)dir.DangerousGetHandle(), name, 0) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>rename(2) that fails with EEXIST instead of replacing (renameat2 RENAME_NOREPLACE); returns the errno.</summary>
    public static int TryRenameNoReplace(string from, string to)
        => Libc.renameat2(Libc.AT_FDCWD, from, Libc.AT_FDCWD, to, Libc.RENAME_NOREPLACE) < 0 ? Marshal.GetLastPInvokeError() : 0;

    public static void MakeFifo(string path, uint mode)
    {
        if (Libc.mkfifo(path, mode) < 0)
            throw LinuxException.FromLastError($"mkfifo {path}");
    }

    public static SafeFileHandle Open(string path, OpenFlags flags, uint mode = 0)
    {
        int fd = Libc.open(path, (int)flags | Libc.O_CLOEXEC, mode);
        if (fd < 0)
            throw LinuxException.FromLastError($"open {path}");
        return new SafeFileHandle(fd, true);
    }

    /// <summary>open(2) returning -errno instead of throwing.</summary>
    public static int TryOpen(string path, OpenFlags flags, out SafeFileHandle? handle, uint mode = 0)
    {
        int fd = Libc.open(path, (int)flags | Libc.O_CLOEXEC, mode);
        if (fd < 0)
        {
            handle = null;
            return -Marshal.GetLastPInvokeError();
        }
        handle = new SafeFileHandle(fd, true);
        return 0;
    }

    /// <summary>
    /// openat2(2): opens <paramref name="path"/> relative to <paramref name="root"/> with the kernel
    /// resolving every component (symlinks and "..") as if root were "/": nothing outside it can be reached.
    /// </summary>
    public static SafeFileHandle OpenInRoot(SafeFileHandle root, string path, OpenFlags flags, ResolveFlags resolve = ResolveFlags.InRoot, uint mode = 0)
    {
        var how = stackalloc ulong[3];
        how[0] = (ulong)((int)flags | Libc.O_CLOEXEC);
        how[1] = (flags & OpenFlags.Create) != 0 ? mode : 0;
        how[2] = (ulong)resolve;
        nint p = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            long fd = Libc.syscall(Syscalls.Openat2, (long)root.DangerousGetHandle(), p, (long)how, 24, 0);
            if (fd < 0)
                throw LinuxException.FromLastError($"open {path} in root");
            return new SafeFileHandle((nint)fd, true);
        }
        finally
        {
            Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>The path of an open descriptor as /proc/self/fd/N, for calls that take paths.</summary>
    public static string ProcPath(SafeFileHandle fd) => $"/proc/self/fd/{fd.DangerousGetHandle()}";

    /// <summary>Where an open descriptor points (readlink of /proc/self/fd/N).</summary>
    public static string? RealPath(SafeFileHandle fd) => new FileInfo(ProcPath(fd)).LinkTarget;

    public static void SetCloseOnExec(int fd, bool closeOnExec)
    {
        int flags = Libc.fcntl(fd, Libc.F_GETFD, 0);
        if (flags < 0)
            throw LinuxException.FromLastError($"fcntl {fd}");
        flags = closeOnExec ? flags | Libc.FD_CLOEXEC : flags & ~Libc.FD_CLOEXEC;
        if (Libc.fcntl(fd, Libc.F_SETFD, flags) < 0)
            throw LinuxException.FromLastError($"fcntl {fd}");
    }

    public static void SetNonBlocking(int fd, bool nonBlocking)
    {
        int flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
        flags = nonBlocking ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
        if (Libc.fcntl(fd, Libc.F_SETFL, flags) < 0)
            throw LinuxException.FromLastError($"fcntl {fd}");
    }

    /// <summary>Marks every descriptor from <paramref name="first"/> up close-on-exec (close_range).</summary>
    public static void CloseOnExecFrom(int first)
    {
        if (Libc.close_range((uint)first, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC) == 0)
            return;
        // Kernels before 5.11: walk /proc/self/fd.
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(entry), out int fd) && fd >= first)
                Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
    }

    public static void Duplicate(int oldFd, int newFd)
    {
        if (Libc.dup3(oldFd, newFd, 0) < 0)
            throw LinuxException.FromLastError($"dup {oldFd} to {newFd}");
    }

    /// <summary>
    /// An O_PATH descriptor of <paramref name="path"/> reached through a private, read-only clone of its
    /// mount (open_tree + mount_setattr): attached nowhere, so nobody can find it, and read-only, so
    /// nothing can write to the file through it — not even through /proc/PID/exe of a process
    /// executing it. Null when the kernel refuses (before 5.12, or without CAP_SYS_ADMIN).
    /// </summary>
    public static SafeFileHandle? OpenThroughReadOnlyMount(string path)
    {
        string directory = System.IO.Path.GetDirectoryName(path) ?? "/";
        nint dir = Marshal.StringToCoTaskMemUTF8(directory);
        nint empty = Marshal.StringToCoTaskMemUTF8("");
        try
        {
            long tree = Libc.syscall(Syscalls.OpenTree, Libc.AT_FDCWD, dir, 1 /* OPEN_TREE_CLONE */ | Libc.O_CLOEXEC, 0, 0);
            if (tree < 0)
                return null;
            using var treeFd = new SafeFileHandle((nint)tree, ownsHandle: true);
            var attr = stackalloc ulong[4];
            attr[0] = 1; // MOUNT_ATTR_RDONLY
            attr[1] = attr[2] = attr[3] = 0;
            if (Libc.syscall(Syscalls.MountSetattr, tree, empty, Libc.AT_EMPTY_PATH, (long)attr, 32) < 0)
                return null;
            int fd = Libc.openat((int)tree, System.IO.Path.GetFileName(path), Libc.O_PATH | Libc.O_CLOEXEC, 0);
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            Marshal.FreeCoTaskMem(dir);
            Marshal.FreeCoTaskMem(empty);
        }
    }

    /// <summary>
    /// Starts writing a range of a file back to disk without waiting (sync_file_range
    /// SYNC_FILE_RANGE_WRITE): a later fsync then finds little left to do. Best effort: errors are
    /// left for that fsync to report.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
        => Libc.sync_file_range((int)file.DangerousGetHandle(), offset, count, 2 /* SYNC_FILE_RANGE_WRITE */);

    /// <summary>A sealed, read-only in-memory copy of a file (memfd), e.g. of this executable.</summary>
    public static SafeFileHandle SealedCopy(string path, string name)
    {
        int memfd = Libc.memfd_create(name, Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        if (memfd < 0)
            throw LinuxException.FromLastError("memfd_create");
        var handle = new SafeFileHandle(memfd, true);
        using var source = Open(path, OpenFlags.ReadOnly);
        // Copy until end of file: a /proc symlink (such as /proc/self/exe) reports no size.
        while (true)
        {
            nint n = Libc.sendfile(memfd, (int)source.DangerousGetHandle(), null, 1 << 30);
            if (n == 0)
                break;
            if (n < 0)
                throw LinuxException.FromLastError($"copy {path} to memfd");
        }
        if (Libc.fcntl(memfd, Libc.F_ADD_SEALS, Libc.F_SEAL_SEAL | Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_WRITE) < 0)
            throw LinuxException.FromLastError("seal memfd");
        return handle;
    }

    public static void ChangeDirectory(string path)
    {
        if (Libc.chdir(path) < 0)
            throw LinuxException.FromLastError($"chdir {path}");
    }

    public static void ChangeDirectory(SafeFileHandle dir)
    {
        if (Libc.fchdir((int)dir.DangerousGetHandle()) < 0)
            throw LinuxException.FromLastError("fchdir");
    }

    public static void ChangeRoot(string path)
    {
        if (Libc.chroot(path) < 0)
            throw LinuxException.FromLastError($"chroot {path}");
    }

    /// <summary>getcwd(2); a cwd outside the process's root comes back as "(unreachable)/...".</summary>
    public static string CurrentDirectory()
    {
        var buf = stackalloc byte[4096];
        if (Libc.getcwd(buf, 4096) == null)
            throw LinuxException.FromLastError("getcwd");
        return Marshal.PtrToStringUTF8((nint)buf)!;
    }

    public static void Chown(string path, uint uid, uint gid, bool followSymlinks = true)
    {
        if (Libc.fchownat(Libc.AT_FDCWD, path, uid, gid, followSymlinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW) < 0)
            throw LinuxException.FromLastError($"chown {path}");
    }

    public static void Chown(SafeFileHandle fd, uint uid, uint gid)
    {
        if (Libc.fchown((int)fd.DangerousGetHandle(), uid, gid) < 0)
            throw LinuxException.FromLastError("fchown");
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; 0 at end of file.</summary>
    public static int Read(SafeFileHandle fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.read((int)fd.DangerousGetHandle(), p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw LinuxException.FromLastError("read");
            }
        }
    }

    public static void WriteAll(SafeFileHandle fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = Libc.write((int)fd.DangerousGetHandle(), p + done, data.Length - done);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Errno.EINTR)
                        continue;
                    throw LinuxException.FromLastError("write");
                }
                done += (int)n;
            }
        }
    }

    /// <summary>Writes a whole small file (procfs, sysfs, cgroupfs) in one write(2), as the kernel expects.</summary>
    public static void WriteText(string path, string text)
    {
        using var fd = Open(path, OpenFlags.WriteOnly);
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            if (Libc.write((int)fd.DangerousGetHandle(), p, bytes.Length) < 0)
                throw LinuxException.FromLastError($"write {path}");
        }
    }

    /// <summary>Waits until the descriptor is readable or the timeout (ms, -1 forever) passes.</summary>
    public static bool WaitReadable(SafeFileHandle fd, int timeoutMs)
    {
        var p = new PollFd { Fd = (int)fd.DangerousGetHandle(), Events = 1 /* POLLIN */ };
        while (true)
        {
            int r = Libc.poll(&p, 1, timeoutMs);
            if (r >= 0)
                return r > 0;
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw LinuxException.FromLastError("poll");
        }
    }

    public static (SafeFileHandle Read, SafeFileHandle Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
            throw LinuxException.FromLastError("pipe");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }
}
