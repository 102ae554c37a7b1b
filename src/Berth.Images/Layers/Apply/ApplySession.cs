using System.Text;
using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>
/// One run of <see cref="LayerApplier.Apply"/>: the target's descriptor, the cached parent
/// directory, the directories whose times are set at the end. The loop makes, for a typical small
/// file, openat + write + futimens + close (chown and chmod only when the archive asks for
/// something creating the file did not give), and allocates nothing per entry.
/// </summary>
internal sealed partial class ApplySession : IDisposable
{
    const uint S_ISGID = 0x400;

    readonly int _root;
    readonly string _target;
    readonly ApplyOptions _options;
    readonly bool _isRoot;
    readonly bool _chown;
    readonly uint _euid, _egid, _umask;
    readonly uint _rootUid, _rootGid;
    readonly bool _rootSetgid;
    readonly uint _rootDirGid;
    byte[] _path = new byte[1024];
    int _pathLength; // of the entry being applied, cleaned, in _path
    byte[] _link = new byte[1024];
    readonly List<(byte[] Path, FileTimes Times)> _dirs = [];
    readonly HashSet<string>? _unpacked;
    readonly byte[]? _renameFrom, _renameTo;
    long _entries, _contentSize;

    public ApplySession(int rootFd, string target, ApplyOptions options)
    {
        _root = rootFd;
        _target = target;
        _options = options;
        _euid = Processes.EffectiveUserId;
        _egid = Processes.EffectiveGroupId;
        _isRoot = _euid == 0;
        _chown = options.ChangeOwnership ?? _isRoot;
        _umask = ReadUmask();
        (_rootUid, _rootGid) = options.IdMapping?.RootPair ?? (0u, 0u);
        if (FilesAt.Stat(rootFd, out var stat) == 0)
        {
            _rootSetgid = (stat.Mode & S_ISGID) != 0;
            _rootDirGid = stat.Gid;
        }
        if (options.Rename is { } rename)
            (_renameFrom, _renameTo) = (Encoding.UTF8.GetBytes(rename.From), Encoding.UTF8.GetBytes(rename.To));
        // Only a plain directory needs to know, for an opaque marker, what this layer put there.
        if (options.Whiteouts == WhiteoutMode.Delete)
            _unpacked = new HashSet<string>(StringComparer.Ordinal);
    }

    public (long Entries, long ContentSize) Run(TarReader reader)
    {
        while (reader.Next() is { } entry)
        {
            _entries++;
            _contentSize += entry.Size;
            ApplyEntry(reader, entry);
        }
        FinishDirectories();
        return (_entries, _contentSize);
    }

    void ApplyEntry(TarReader reader, TarEntry e)
    {
        if (_renameFrom is not null)
            Rebase(e);
        if (_path.Length < e.NameBytes.Length)
            _path = new byte[e.NameBytes.Length * 2];
        int length = TarPath.Clean(e.NameBytes, _path);
        if (length < 0)
            throw StoreException.Invalid($"tar entry \"{e.Name}\" is outside of the root (its \"..\" climbs above it)");
        _pathLength = length;
        ReadOnlySpan<byte> path = _path.AsSpan(0, length);
        if (length == 0)
        {
            ApplyRoot(e);
            return;
        }
        bool layer = _options.Whiteouts != WhiteoutMode.None;
        // AUFS metadata at the root (.wh..wh.plnk, .wh..wh.aufs) is no content: Docker skips it.
        if (layer && path.StartsWith(Whiteouts.MetaPrefixBytes) && !path.SequenceEqual(Whiteouts.OpaqueBytes))
            return;
        TarPath.Split(path, out var parent, out var name);
        if (layer && name.StartsWith(Whiteouts.PrefixBytes))
        {
            ApplyWhiteout(e, parent, name);
            return;
        }
        int parentFd = Parent(parent, e);
        var (uid, gid) = Owner(e);
        switch (e.Type)
        {
            case TarEntryType.Regular:
                CreateFile(reader, e, parentFd, name, uid, gid);
                break;
            case TarEntryType.Directory:
                CreateDirectory(e, parentFd, path, name, uid, gid);
                break;
            case TarEntryType.Symlink:
                if (_options.SymlinksStayInside)
                    CheckSymlinkTarget(e, path);
                CreateSymlink(e, parentFd, name, uid, gid);
                break;
            case TarEntryType.HardLink:
                CreateHardLink(e, parentFd, name, uid, gid);
                break;
            case TarEntryType.CharDevice:
            case TarEntryType.BlockDevice:
            case TarEntryType.Fifo:
                CreateNode(e, parentFd, name, uid, gid);
                break;
            default:
                throw StoreException.Invalid($"tar entry \"{e.Name}\" has unsupported type '{(char)e.Type}'");
        }
        _unpacked?.Add(Encoding.Latin1.GetString(path));
        _options.Observer?.Applied(e, path);
    }

    /// <summary>
    /// An entry for the root itself ("./"): Docker's UnpackLayer applies its owner, mode, xattrs and
    /// times to the target; its overlay path and its Untar (Unpack) skip it, and so do we for an upper
    /// directory and an ordinary archive.
    /// </summary>
    void ApplyRoot(TarEntry e)
    {
        if (e.Type != TarEntryType.Directory)
        {
            if (_options.NoOverwriteDirNonDir)
                throw OverwriteRefused(directory: true, default);
            throw StoreException.Invalid($"tar entry \"{e.Name}\" would replace the root directory");
        }
        if (_options.Whiteouts != WhiteoutMode.Delete)
            return;
        var (uid, gid) = Owner(e);
        if (_chown)
            Check(FilesAt.Chown(_root, uid, gid), "chown", e);
        SetXattrs(e, _root, -1, default);
        Check(FilesAt.Chmod(_root, e.Mode), "chmod", e);
        _dirs.Add(([], Times(e)));
    }

    /// <summary>Go's strings.Replace(name, from, to, 1) of <see cref="ApplyOptions.Rename"/> on the entry's name, and on a hard link's target.</summary>
    void Rebase(TarEntry e)
    {
        if (ReplaceFirst(e.NameBytes) is { } name)
            e.SetName(name);
        if (e.Type == TarEntryType.HardLink && ReplaceFirst(e.LinkNameBytes) is { } link)
            e.SetLinkName(link);

        byte[]? ReplaceFirst(ReadOnlySpan<byte> text)
        {
            int at = text.IndexOf(_renameFrom!);
            return at < 0 ? null : [.. text[..at], .. _renameTo!, .. text[(at + _renameFrom!.Length)..]];
        }
    }

    /// <summary>Docker's "invalid symlink" breakout error for a symlink whose target, joined to its directory, leaves the target directory.</summary>
    void CheckSymlinkTarget(TarEntry e, ReadOnlySpan<byte> path)
    {
        string root = GoPath.Clean(_target);
        string link = GoPath.Join(root, TarPath.Show(path));
        string target = GoPath.Join(GoPath.Dir(link), e.LinkName);
        if (root != "/" && target != root && !target.StartsWith(root + "/", StringComparison.Ordinal))
            throw new StoreException(StoreErrorKind.Internal, $"invalid symlink \"{link}\" -> \"{e.LinkName}\"");
    }

    /// <summary>Docker's NoOverwriteDirNonDir refusal, in its words (paths as the target's name joined with the entry's).</summary>
    StoreException OverwriteRefused(bool directory, ReadOnlySpan<byte> path)
    {
        string destination = GoPath.Join(_target, TarPath.Show(path));
        string message = directory
            ? $"cannot overwrite directory \"{destination}\" with non-directory \"{_target}\""
            : $"cannot overwrite non-directory \"{destination}\" with directory \"{_target}\"";
        return new StoreException(StoreErrorKind.Internal, message);
    }

    (uint Uid, uint Gid) Owner(TarEntry e)
        => _options.Owner ?? (_options.IdMapping is { } map ? map.ToHost(e.Uid, e.Gid) : ((uint)e.Uid, (uint)e.Gid));

    /// <summary>Whether the owner a new file got (our euid, and egid or a setgid parent's group) differs from the wanted one.</summary>
    bool NeedsChown(uint uid, uint gid) => _chown && (uid != _euid || gid != (_parentSetgid ? _parentGid : _egid));

    /// <summary>Whether a mode given to open/mkdir/mknod survives the umask as it is, or needs an explicit chmod.</summary>
    bool NeedsChmod(uint mode) => (mode & 0xE00) != 0 || (mode & 0x1FF & _umask) != 0;

    /// <summary>Docker's times: mtime; atime the later of the PAX atime and mtime; times before 1970 or after 2262 become the epoch.</summary>
    static FileTimes Times(TarEntry e)
    {
        var (ms, mns) = Bound(e.MtimeSeconds, e.MtimeNanoseconds);
        if (e.AtimeSeconds is { } a && (a > ms || (a == ms && e.AtimeNanoseconds > mns)))
        {
            var (s, ns) = Bound(a, e.AtimeNanoseconds);
            return new FileTimes(s, ns, ms, mns);
        }
        return FileTimes.Both(ms, mns);
    }

    static (long, long) Bound(long seconds, long nanoseconds)
        => seconds < 0 || seconds > long.MaxValue / 1_000_000_000 ? (0, 0) : (seconds, nanoseconds);

    void SetXattrs(TarEntry e, int fd, int parentFd, ReadOnlySpan<byte> name)
    {
        foreach (var x in e.Xattrs)
        {
            // overlayfs's own attributes (redirect, origin, opaque...) come only from whiteouts, never
            // from an archive; trusted.* needs CAP_SYS_ADMIN.
            if (Whiteouts.IsOverlayPrivate(x.Name) || (!_isRoot && x.Name.StartsWith("trusted.", StringComparison.Ordinal)))
                continue;
            int errno = fd >= 0 ? Xattrs.Set(fd, x.Name, x.Value) : Xattrs.SetAt(parentFd, name, x.Name, x.Value);
            if (errno == 0 || x.Name == "security.selinux" || errno == Errno.EPERM || (_options.BestEffortXattrs && errno == Errno.EOPNOTSUPP))
                continue;
            throw Fail(errno, $"setxattr {x.Name} on", e);
        }
    }

    void FinishDirectories()
    {
        // Last, so that creating their children did not change them again (Docker does the same).
        foreach (var (path, times) in _dirs)
        {
            if (path.Length == 0)
            {
                Check(FilesAt.SetTimes(_root, times), "set times of", null);
                continue;
            }
            int fd = FilesAt.OpenInRoot(_root, path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow,
                ResolveFlags.InRoot | ResolveFlags.NoMagicLinks);
            if (fd < 0)
                continue; // replaced or removed by a later entry of the layer
            try
            {
                int errno = FilesAt.SetTimes(fd, times);
                if (errno != 0)
                    throw new StoreException(StoreErrorKind.Internal, $"apply layer: set times of {TarPath.Show(path)}: {LinuxException.Describe(errno)}");
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
    }

    void Check(int errno, string operation, TarEntry? e)
    {
        if (errno != 0)
            throw Fail(errno, operation, e);
    }

    /// <summary>An errno as a StoreException: the archive's fault (InvalidArgument) when the tree it describes is impossible, else the machine's.</summary>
    StoreException Fail(int errno, string operation, TarEntry? e)
    {
        var kind = errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.EEXIST or Errno.EISDIR or Errno.EINVAL or Errno.EXDEV or Errno.EPERM
            ? StoreErrorKind.InvalidArgument : StoreErrorKind.Internal;
        string what = e is null ? _target : $"\"{e.Name}\"";
        return new StoreException(kind, $"apply layer to {_target}: {operation} {what}: {LinuxException.Describe(errno)}");
    }

    static uint ReadUmask()
    {
        // umask(2) can only be read by changing it, which races with other threads; /proc tells it safely.
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                    return Convert.ToUInt32(line[6..].Trim(), 8);
        }
        catch (IOException)
        {
        }
        return 0x1FF; // unknown: assume the worst, chmod every time
    }

    public void Dispose()
    {
        FilesAt.Close(_parentFd);
        _parentFd = -1;
    }
}
