using System.Text;
using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>
/// A directory tree held in memory for a two-tree comparison (Docker's ChangesDirs, the vfs
/// fallback): lstat and xattrs of every entry, children by name. Names are kept as Latin-1
/// strings, which map bytes one to one, so that no file name is altered.
/// </summary>
internal sealed class FileTree
{
    public FileTree? Parent { get; private init; }

    public string Name { get; private init; } = "";

    public FileStat Stat { get; private init; }

    public Dictionary<string, FileTree> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The xattrs that count as content (sorted "name=value" keys), for change detection.</summary>
    public string? Xattrs { get; private init; }

    public bool Added { get; set; }

    public bool IsDirectory => Parent is null || Stat.IsDirectory;

    /// <summary>"/a/b", Latin-1 encoded bytes.</summary>
    public string Path => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.Path + "/" + Name;

    /// <summary>Reads the whole tree below <paramref name="root"/> (an empty tree for null).</summary>
    public static FileTree Read(string? root, XattrPolicy xattrs)
    {
        var tree = new FileTree();
        if (root is null)
            return tree;
        int fd = FilesAt.Open(-100, Encoding.UTF8.GetBytes(root), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new StoreException(-fd == Errno.ENOENT ? StoreErrorKind.NotFound : StoreErrorKind.Internal, $"read tree {root}: {LinuxException.Describe(-fd)}");
        try
        {
            tree.ReadChildren(fd, xattrs);
        }
        finally
        {
            FilesAt.Close(fd);
        }
        return tree;
    }

    void ReadChildren(int dirFd, XattrPolicy policy)
    {
        foreach (var entry in TreeWalker.ReadSorted(dirFd))
        {
            if (FilesAt.Stat(dirFd, entry.Name, followSymlinks: false, out var stat) != 0)
                continue;
            int fd = -1;
            if (stat.IsDirectory)
            {
                fd = FilesAt.Open(dirFd, entry.Name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
                if (fd < 0)
                    continue;
            }
            try
            {
                var child = new FileTree
                {
                    Parent = this,
                    Name = Encoding.Latin1.GetString(entry.Name),
                    Stat = stat,
                    Xattrs = ReadXattrs(dirFd, entry.Name, fd, policy),
                };
                Children[child.Name] = child;
                if (fd >= 0)
                    child.ReadChildren(fd, policy);
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
    }

    static string? ReadXattrs(int dirFd, byte[] name, int fd, XattrPolicy policy)
    {
        var names = new List<string>();
        if (policy == XattrPolicy.CapabilityOnly)
            names.Add("security.capability");
        else if ((fd >= 0 ? Linux.Xattrs.List(fd, names) : Linux.Xattrs.ListAt(dirFd, name, names)) != 0)
            return null;
        names.Sort(StringComparer.Ordinal);
        StringBuilder? text = null;
        foreach (string x in names)
        {
            if (Whiteouts.IsOverlayPrivate(x))
                continue;
            int errno = fd >= 0 ? Linux.Xattrs.Get(fd, x, out var value) : Linux.Xattrs.GetAt(dirFd, name, x, out value);
            if (errno != 0 || value is null)
                continue;
            (text ??= new StringBuilder()).Append(x).Append('=').Append(Convert.ToHexString(value)).Append('\n');
        }
        return text?.ToString();
    }

    /// <summary>
    /// Docker's addChanges: what happened from <paramref name="old"/> to this tree. A changed entry
    /// is Modified, a new one Added with everything below it, a gone one Deleted (once, not what
    /// it held), and a directory with changes inside is listed as Modified before them.
    /// </summary>
    public void AddChanges(FileTree? old, List<Change> changes)
    {
        int sizeAtEntry = changes.Count;
        if (old is null && Parent is not null)
        {
            changes.Add(new Change(Path, ChangeKind.Added));
            Added = true;
        }
        var oldChildren = old is not null && IsDirectory ? new Dictionary<string, FileTree>(old.Children, StringComparer.Ordinal) : [];
        foreach (var (name, child) in Children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (oldChildren.Remove(name, out var oldChild))
            {
                if (StatDifferent(oldChild.Stat, child.Stat) || oldChild.Xattrs != child.Xattrs)
                {
                    changes.Add(new Change(child.Path, ChangeKind.Modified));
                    child.Added = true;
                }
            }
            child.AddChanges(oldChild, changes);
        }
        foreach (var (_, gone) in oldChildren.OrderBy(c => c.Key, StringComparer.Ordinal))
            changes.Add(new Change(gone.Path, ChangeKind.Deleted));
        if (changes.Count > sizeAtEntry && IsDirectory && !Added && Parent is not null)
            changes.Insert(sizeAtEntry, new Change(Path, ChangeKind.Modified));
    }

    /// <summary>
    /// Docker's statDifferent: type and mode, owner, device; for non-directories also size and mtime
    /// (directories' sizes and mtimes change with every entry written into them, so they do not count).
    /// </summary>
    static bool StatDifferent(in FileStat a, in FileStat b)
        => a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || a.RdevMajor != b.RdevMajor || a.RdevMinor != b.RdevMinor
            || (!a.IsDirectory && (!SameTime(a, b) || a.Size != b.Size));

    /// <summary>
    /// Docker's sameFsTime: equal, or the same second with either side at zero nanoseconds: tar
    /// (Docker's, and GNU's by default) keeps whole seconds, so a file that went through a layer
    /// must not look changed.
    /// </summary>
    public static bool SameTime(in FileStat a, in FileStat b)
        => a.MtimeSeconds == b.MtimeSeconds && (a.MtimeNanoseconds == b.MtimeNanoseconds || a.MtimeNanoseconds == 0 || b.MtimeNanoseconds == 0);
}
