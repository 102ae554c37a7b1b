using System.Text;
using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>The change lists of <c>docker diff</c>.</summary>
public static class LayerChanges
{
    /// <summary>
    /// The changes of two trees (Docker's ChangesDirs), sorted by path: what it takes to turn
    /// <paramref name="oldTree"/> (null: nothing) into <paramref name="newTree"/>.
    /// </summary>
    public static List<Change> Compare(string newTree, string? oldTree, XattrPolicy xattrs = XattrPolicy.All)
        => [.. CompareRaw(newTree, oldTree, xattrs).Select(c => c with { Path = Decode(c.Path) })];

    /// <summary>Compare with paths as Latin-1 strings of the raw name bytes, sorted byte-wise (ExportChanges' order).</summary>
    internal static List<Change> CompareRaw(string newTree, string? oldTree, XattrPolicy xattrs)
    {
        var newRoot = FileTree.Read(newTree, xattrs);
        var oldRoot = FileTree.Read(oldTree, xattrs);
        var changes = new List<Change>();
        newRoot.AddChanges(oldRoot, changes);
        changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return changes;
    }

    /// <summary>
    /// The changes an overlayfs upper directory holds over its lower ones (top first), as Docker's
    /// overlay2 driver reports them: a whiteout is Deleted; an entry is Modified when a lower layer
    /// has it (unless both are directories with the same mode, size and mtime), else Added; the
    /// directory of an added or deleted entry is Modified. In walk order.
    /// </summary>
    public static List<Change> Overlay(string upper, IReadOnlyList<string> lowers)
    {
        var changes = new List<Change>();
        var changedDirs = new HashSet<string>(StringComparer.Ordinal);
        int upperFd = LayerWriter.OpenRoot(upper);
        var lowerFds = new List<int>();
        try
        {
            foreach (var lower in lowers)
                lowerFds.Add(LayerWriter.OpenRoot(lower));
            TreeWalker.Walk(upperFd, (in WalkEntry entry) =>
            {
                string path = "/" + Encoding.Latin1.GetString(entry.Path);
                var kind = ChangeKind.Added;
                if (entry.Stat.IsWhiteout)
                    kind = ChangeKind.Deleted;
                else if (FindInLowers(lowerFds, entry.Path) is { } lower)
                {
                    if (lower.IsDirectory && entry.Stat.IsDirectory && lower.Mode == entry.Stat.Mode && lower.Size == entry.Stat.Size
                        && FileTree.SameTime(lower, entry.Stat))
                        return; // the directory is only there to hold changes below it
                    kind = ChangeKind.Modified;
                }
                if (entry.Stat.IsDirectory)
                    changedDirs.Add(path);
                if (kind != ChangeKind.Modified)
                {
                    string parent = path[..path.LastIndexOf('/')];
                    if (parent.Length > 0 && changedDirs.Add(parent))
                        changes.Add(new Change(Decode(parent), ChangeKind.Modified));
                }
                changes.Add(new Change(Decode(path), kind));
            });
        }
        finally
        {
            FilesAt.Close(upperFd);
            foreach (int fd in lowerFds)
                FilesAt.Close(fd);
        }
        return changes;
    }

    /// <summary>The entry at <paramref name="path"/> in the topmost lower layer that has it, stopping at a whiteout.</summary>
    static FileStat? FindInLowers(List<int> lowers, ReadOnlySpan<byte> path)
    {
        foreach (int lower in lowers)
        {
            int fd = FilesAt.OpenInRoot(lower, path, OpenFlags.Path | OpenFlags.NoFollow, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks);
            if (fd < 0)
                continue;
            try
            {
                if (FilesAt.Stat(fd, out var stat) != 0)
                    continue;
                return stat.IsWhiteout ? null : stat;
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
        return null;
    }

    /// <summary>Latin-1 (byte-exact) path to the UTF-8 text Docker shows.</summary>
    static string Decode(string latin1) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(latin1));
}
