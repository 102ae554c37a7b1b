using System.Text;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Images.Snapshots;

/// <summary>Sizes and removal of snapshot directories, on descriptors (nothing below is followed).</summary>
internal static class DiskUsage
{
    /// <summary>Blocks in use (as du counts them) and inodes below <paramref name="path"/>, each hard-linked inode once.</summary>
    public static SnapshotUsage Of(string path)
    {
        if (!System.IO.Directory.Exists(path))
            return new SnapshotUsage(0, 0);
        int root = LayerWriter.OpenRoot(path);
        long bytes = 0, inodes = 0;
        var seen = new HashSet<ulong>();
        try
        {
            TreeWalker.Walk(root, (in WalkEntry entry) =>
            {
                if (entry.Stat.LinkCount > 1 && !entry.Stat.IsDirectory && !seen.Add(entry.Stat.Inode))
                    return;
                inodes++;
                bytes += entry.Stat.Blocks * 512;
            });
        }
        finally
        {
            FilesAt.Close(root);
        }
        return new SnapshotUsage(bytes, inodes);
    }

    /// <summary>os.RemoveAll of <paramref name="path"/>, never following a symlink inside it.</summary>
    public static void RemoveTree(string path)
    {
        string parent = Path.GetDirectoryName(path) ?? "/";
        int fd = LayerWriter.OpenRoot(parent);
        try
        {
            int errno = TreeRemover.RemoveAll(fd, Encoding.UTF8.GetBytes(Path.GetFileName(path)));
            if (errno != 0)
                throw new StoreException(StoreErrorKind.Internal, $"remove {path}: {LinuxException.Describe(errno)}");
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }
}
