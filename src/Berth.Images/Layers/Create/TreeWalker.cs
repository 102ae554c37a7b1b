using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>What a <see cref="TreeWalker"/> visit sees: where the entry is, its path from the root, what statx says.</summary>
internal readonly ref struct WalkEntry(int parentFd, ReadOnlySpan<byte> name, ReadOnlySpan<byte> path, in FileStat stat, int selfFd)
{
    /// <summary>The open directory holding the entry.</summary>
    public int ParentFd { get; } = parentFd;

    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>"a/b/c" from the root, no leading or trailing slash.</summary>
    public ReadOnlySpan<byte> Path { get; } = path;

    public FileStat Stat { get; } = stat;

    /// <summary>For a directory, an open descriptor of it (valid during the visit); -1 otherwise.</summary>
    public int SelfFd { get; } = selfFd;
}

/// <summary>
/// Walks a directory tree on descriptors in Docker's order (filepath.WalkDir): each directory's
/// names sorted byte-wise, a directory visited before what it holds. Nothing is followed: every
/// level is opened with O_NOFOLLOW relative to the one above, and entries are lstat'ed.
/// </summary>
internal static class TreeWalker
{
    public delegate void Visitor(in WalkEntry entry);

    /// <summary>Whether an entry is visited, and for a directory whether what it holds is walked.</summary>
    public delegate WalkDecision Filter(in WalkEntry entry);

    static readonly Comparison<DirectoryEntry> ByName = (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name);

    /// <summary>
    /// Walks below the directory <paramref name="rootFd"/> (the root itself is not visited); the paths visited start
    /// with <paramref name="prefix"/> and a "/" ("a/b" with prefix "x" is "x/a/b").
    /// </summary>
    public static void Walk(int rootFd, Visitor visit, ReadOnlySpan<byte> prefix = default) => Walk(rootFd, null, visit, prefix);

    /// <summary>The same, each entry first shown to <paramref name="filter"/> (null: everything is visited).</summary>
    public static void Walk(int rootFd, Filter? filter, Visitor visit, ReadOnlySpan<byte> prefix = default)
    {
        var path = new PathBuilder();
        path.Push(prefix);
        WalkDirectory(rootFd, path, filter, visit);
    }

    /// <summary>The sorted names of an open directory.</summary>
    public static List<DirectoryEntry> ReadSorted(int dirFd)
    {
        var entries = new List<DirectoryEntry>();
        int errno = DirectoryEntries.ReadAll(dirFd, entries);
        if (errno != 0)
            throw new StoreException(StoreErrorKind.Internal, $"read directory: {LinuxException.Describe(errno)}");
        entries.Sort(ByName);
        return entries;
    }

    static void WalkDirectory(int dirFd, PathBuilder path, Filter? filter, Visitor visit)
    {
        foreach (var entry in ReadSorted(dirFd))
        {
            int errno = FilesAt.Stat(dirFd, entry.Name, followSymlinks: false, out var stat);
            if (errno == Errno.ENOENT)
                continue; // removed since the directory was read (a running container)
            if (errno != 0)
                throw new StoreException(StoreErrorKind.Internal, $"stat {path.Show(entry.Name)}: {LinuxException.Describe(errno)}");
            int mark = path.Push(entry.Name);
            if (stat.IsDirectory)
            {
                int fd = FilesAt.Open(dirFd, entry.Name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
                if (fd == -Errno.ENOENT)
                {
                    path.Pop(mark);
                    continue;
                }
                if (fd < 0)
                    throw new StoreException(StoreErrorKind.Internal, $"open {path.Show()}: {LinuxException.Describe(-fd)}");
                try
                {
                    var self = new WalkEntry(dirFd, entry.Name, path.Bytes, stat, fd);
                    var decision = filter is null ? WalkDecision.Visit : filter(self);
                    if (decision == WalkDecision.Visit)
                        visit(self);
                    if (decision != WalkDecision.SkipTree)
                        WalkDirectory(fd, path, filter, visit);
                }
                finally
                {
                    FilesAt.Close(fd);
                }
            }
            else
            {
                var file = new WalkEntry(dirFd, entry.Name, path.Bytes, stat, -1);
                if (filter is null || filter(file) == WalkDecision.Visit)
                    visit(file);
            }
            path.Pop(mark);
        }
    }
}

/// <summary>What a <see cref="TreeWalker.Filter"/> decides for an entry.</summary>
internal enum WalkDecision
{
    /// <summary>Visit it (and walk below a directory).</summary>
    Visit,

    /// <summary>Leave it out but walk below it: a directory excluded whose children may be re-included (.dockerignore's "!").</summary>
    SkipSelf,

    /// <summary>Leave it, and everything below it, out.</summary>
    SkipTree,
}

/// <summary>A relative path grown and shrunk one component at a time, in one buffer.</summary>
internal sealed class PathBuilder
{
    byte[] _buffer = new byte[512];
    int _length;

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>Appends "/name" (or "name" at the root or after a "/"); returns the length to <see cref="Pop"/> back to.</summary>
    public int Push(ReadOnlySpan<byte> name)
    {
        int mark = _length;
        int needed = _length + 1 + name.Length;
        if (needed > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        if (_length > 0 && _buffer[_length - 1] != '/')
            _buffer[_length++] = (byte)'/';
        name.CopyTo(_buffer.AsSpan(_length));
        _length += name.Length;
        return mark;
    }

    public void Pop(int mark) => _length = mark;

    public string Show() => TarPath.Show(Bytes);

    public string Show(ReadOnlySpan<byte> child) => _length == 0 ? TarPath.Show(child) : $"{Show()}/{TarPath.Show(child)}";
}
