using System.Text;
using Berth.Build.Context;
using Berth.Linux;

namespace Berth.Build.Copy;

/// <summary>
/// Paths inside a root directory (a context, a stage's or an image's mounted root), every lookup resolved by the
/// kernel with openat2(RESOLVE_IN_ROOT): symlinks are followed as in a chroot and never lead out.
/// </summary>
public static class RootFiles
{
    const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;

    public static int OpenDirectory(string path)
    {
        int fd = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(path), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new BuildContextException($"open {path}: {LinuxException.Describe(-fd)}", isUserError: false);
        return fd;
    }

    /// <summary>openat2 in the root; "" is the root itself. Returns -errno.</summary>
    public static int Open(int rootFd, string relative, OpenFlags flags)
        => FilesAt.OpenInRoot(rootFd, Encoding.UTF8.GetBytes(relative.Length == 0 ? "." : relative), flags, InRoot);

    /// <summary>
    /// The host path of <paramref name="relative"/> with every symlink resolved inside the root (what a bind mount of
    /// it must name, so that no symlink is followed again out of the root); null when it does not exist.
    /// </summary>
    public static string? RealPath(int rootFd, string relative)
    {
        int fd = Open(rootFd, relative, OpenFlags.Path);
        if (fd < 0)
            return fd is -Errno.ENOENT or -Errno.ENOTDIR or -Errno.ELOOP ? null : throw Fail(-fd, "open", relative);
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>Whether the path (symlinks followed inside the root) is a directory.</summary>
    public static bool IsDirectory(int rootFd, string relative)
    {
        int fd = Open(rootFd, relative, OpenFlags.Path);
        if (fd < 0)
            return false;
        try
        {
            return FilesAt.Stat(fd, out var stat) == 0 && stat.IsDirectory;
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>
    /// MkdirAllAndChownNew inside the root: every missing directory of <paramref name="relative"/> made 0755 and owned
    /// by <paramref name="owner"/>; existing ones untouched. Returns an open descriptor of the directory.
    /// </summary>
    public static int MakeDirectories(int rootFd, string relative, (uint Uid, uint Gid) owner, out bool created)
    {
        created = false;
        int fd = Open(rootFd, relative, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd >= 0 || fd != -Errno.ENOENT)
            return fd >= 0 ? fd : throw Fail(-fd, "open", relative);
        string[] parts = relative.Split('/');
        int current = Open(rootFd, "", OpenFlags.ReadOnly | OpenFlags.Directory);
        for (int i = 0; i < parts.Length; i++)
        {
            string prefix = string.Join('/', parts, 0, i + 1);
            int next = Open(rootFd, prefix, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (next == -Errno.ENOENT)
            {
                var name = Encoding.UTF8.GetBytes(parts[i]);
                int errno = FilesAt.MakeDirectory(current, name, 0x1ED);
                if (errno == 0)
                {
                    created = i == parts.Length - 1;
                    errno = FilesAt.ChownNoFollow(current, name, owner.Uid, owner.Gid);
                    if (errno == 0)
                        errno = FilesAt.Chmod(current, name, 0x1ED); // whatever the umask
                }
                if (errno is not (0 or Errno.EEXIST))
                {
                    FilesAt.Close(current);
                    throw Fail(errno, "mkdir", prefix);
                }
                next = Open(rootFd, prefix, OpenFlags.ReadOnly | OpenFlags.Directory);
            }
            FilesAt.Close(current);
            if (next < 0)
                throw Fail(-next, "mkdir", prefix);
            current = next;
        }
        return current;
    }

    /// <summary>The lines of a text file of the root ("etc/passwd"), none when it is missing: for user lookups.</summary>
    public static IEnumerable<string> ReadLines(int rootFd, string relative)
    {
        int fd = Open(rootFd, relative, OpenFlags.ReadOnly);
        if (fd < 0)
            return [];
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            for (int n; (n = FilesAt.Read(fd, chunk)) > 0;)
                buffer.Write(chunk, 0, n);
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n');
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    public static BuildContextException Fail(int errno, string operation, string path)
        => new($"{operation} /{path}: {LinuxException.Describe(errno)}", isUserError: errno is Errno.ENOTDIR or Errno.EEXIST or Errno.ELOOP);
}
