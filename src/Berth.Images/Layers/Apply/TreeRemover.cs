using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>
/// os.RemoveAll below an open directory, on descriptors: every level is opened with O_NOFOLLOW
/// relative to the one above, so a symlink met on the way is removed, never followed, and nothing
/// outside the starting directory can be reached.
/// </summary>
internal static class TreeRemover
{
    /// <summary>Removes <paramref name="name"/> below <paramref name="dirFd"/> and all it holds; 0 (also when it did not exist) or the errno.</summary>
    public static int RemoveAll(int dirFd, ReadOnlySpan<byte> name)
    {
        int errno = FilesAt.Unlink(dirFd, name, directory: false);
        if (errno is 0 or Errno.ENOENT)
            return 0;
        if (errno != Errno.EISDIR && errno != Errno.EPERM)
            return errno;
        // A directory (unlink says EISDIR on Linux, EPERM elsewhere): empty it, then remove it.
        int fd = FilesAt.Open(dirFd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
        if (fd < 0)
            return -fd == Errno.ENOENT ? 0 : -fd;
        try
        {
            errno = RemoveChildren(fd);
            if (errno != 0)
                return errno;
        }
        finally
        {
            FilesAt.Close(fd);
        }
        errno = FilesAt.Unlink(dirFd, name, directory: true);
        return errno == Errno.ENOENT ? 0 : errno;
    }

    /// <summary>Removes everything inside the open directory <paramref name="dirFd"/>, keeping names <paramref name="keep"/> accepts.</summary>
    public static int RemoveChildren(int dirFd, Func<byte[], bool>? keep = null)
    {
        var entries = new List<DirectoryEntry>();
        int errno = DirectoryEntries.ReadAll(dirFd, entries);
        if (errno != 0)
            return errno;
        foreach (var entry in entries)
        {
            if (keep is not null && keep(entry.Name))
                continue;
            errno = RemoveAll(dirFd, entry.Name);
            if (errno != 0)
                return errno;
        }
        return 0;
    }
}
