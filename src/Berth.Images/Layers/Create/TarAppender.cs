using System.Buffers;
using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>
/// Turns files into tar entries the way Docker's tarAppender.addTarFile does: a header from lstat
/// (mode with set-id and sticky bits, uid/gid, mtime, "/" after directory names), the first path of
/// a multiply linked inode as a file and the later ones as hard links to it, xattrs as PAX records,
/// overlay whiteouts and opaque directories turned into <c>.wh.</c> entries when asked.
/// </summary>
internal sealed class TarAppender(TarWriter writer, LayerWriteOptions options, bool convertOverlayWhiteouts) : IDisposable
{
    readonly TarEntry _entry = new();
    readonly Dictionary<(ulong Dev, ulong Inode), byte[]> _seen = [];
    readonly List<string> _xattrNames = [];
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    readonly byte[] _link = new byte[4096];

    public void Add(in WalkEntry file)
    {
        var stat = file.Stat;
        if (stat.IsSocket)
            return; // tar cannot hold a socket; Docker logs and skips it
        var e = _entry;
        e.Reset();
        e.SetName(file.Path);
        if (stat.IsDirectory)
            e.AppendName("/"u8);
        e.Mode = stat.Permissions;
        e.Uid = stat.Uid;
        e.Gid = stat.Gid;
        e.MtimeSeconds = stat.MtimeSeconds;
        e.MtimeNanoseconds = options.NanosecondTimes ? (int)stat.MtimeNanoseconds : 0;
        if (options.ClampTime is { } clamp && e.MtimeSeconds > clamp)
        {
            e.MtimeSeconds = clamp;
            e.MtimeNanoseconds = 0;
        }
        e.Type = stat.Type switch
        {
            Files.S_IFREG => TarEntryType.Regular,
            Files.S_IFDIR => TarEntryType.Directory,
            FileStatus.S_IFLNK => TarEntryType.Symlink,
            Files.S_IFCHR => TarEntryType.CharDevice,
            Files.S_IFBLK => TarEntryType.BlockDevice,
            _ => TarEntryType.Fifo,
        };
        if (stat.IsRegularFile)
            e.Size = stat.Size;
        if (stat.IsCharacterDevice || stat.IsBlockDevice)
        {
            e.DevMajor = stat.RdevMajor;
            e.DevMinor = stat.RdevMinor;
        }
        if (stat.IsSymlink)
        {
            int errno = FilesAt.ReadLink(file.ParentFd, file.Name, _link, out int length);
            if (errno != 0)
                throw Fail(errno, "readlink", file.Path);
            e.SetLinkName(_link.AsSpan(0, length));
        }
        ReadXattrs(file, e);

        bool whiteout = stat.IsWhiteout && convertOverlayWhiteouts;
        // Later names of a multiply linked file become hard links to the first one written. Not
        // whiteouts: overlayfs links them all to one shared inode, which says nothing about the layer.
        if (!stat.IsDirectory && stat.LinkCount > 1 && !whiteout)
        {
            var key = (((ulong)stat.DevMajor << 32) | stat.DevMinor, stat.Inode);
            if (_seen.TryGetValue(key, out var first))
            {
                e.Type = TarEntryType.HardLink;
                e.SetLinkName(first);
                e.Size = 0;
            }
            else
                _seen[key] = e.NameBytes.ToArray();
        }

        // Whiteouts were made by the kernel with host ids already right for the layer: not remapped (as Docker).
        if (options.IdMapping is { } map && !whiteout && !file.Name.StartsWith(Whiteouts.PrefixBytes))
            (e.Uid, e.Gid) = map.ToContainer(stat.Uid, stat.Gid);

        if (options.Owner is { } owner)
            (e.Uid, e.Gid) = (owner.Uid, owner.Gid);
        if (options.Permissions is { } permissions && !stat.IsSymlink)
            e.Mode = permissions;

        if (whiteout)
        {
            // Docker's ConvertWrite: the device becomes an empty regular .wh.<name> file, mode 0600.
            TarPath.Split(file.Path, out var parent, out var name);
            e.SetName(parent);
            if (!parent.IsEmpty)
                e.AppendName("/"u8);
            e.AppendName(Whiteouts.PrefixBytes);
            e.AppendName(name);
            e.Type = TarEntryType.Regular;
            e.Mode = 0x180;
            e.Size = 0;
            e.DevMajor = e.DevMinor = 0;
        }
        writer.WriteHeader(e);
        if (e.Type == TarEntryType.Regular && e.Size > 0)
            CopyData(file, e.Size);

        if (convertOverlayWhiteouts && stat.IsDirectory && IsOpaque(file))
        {
            // An opaque directory is followed by its .wh..wh..opq marker, with the directory's
            // permission bits and owner and no mtime (Go writes the zero time as 0).
            long uid = e.Uid, gid = e.Gid;
            uint mode = e.Mode & 0x1FF;
            e.Reset();
            e.SetName(file.Path);
            e.AppendName("/"u8);
            e.AppendName(Whiteouts.OpaqueBytes);
            e.Type = TarEntryType.Regular;
            e.Mode = mode;
            e.Uid = uid;
            e.Gid = gid;
            writer.WriteHeader(e);
        }
    }

    /// <summary>The whiteout entry Docker's ExportChanges writes for a deleted path (a two-tree diff).</summary>
    public void AddDeletion(ReadOnlySpan<byte> path)
    {
        var e = _entry;
        e.Reset();
        TarPath.Split(path, out var parent, out var name);
        e.SetName(parent);
        if (!parent.IsEmpty)
            e.AppendName("/"u8);
        e.AppendName(Whiteouts.PrefixBytes);
        e.AppendName(name);
        e.Type = TarEntryType.Regular;
        e.MtimeSeconds = options.WhiteoutTime;
        writer.WriteHeader(e);
    }

    void ReadXattrs(in WalkEntry file, TarEntry e)
    {
        if (options.Xattrs == XattrPolicy.CapabilityOnly)
        {
            int errno = file.SelfFd >= 0
                ? Xattrs.Get(file.SelfFd, "security.capability", out var cap)
                : Xattrs.GetAt(file.ParentFd, file.Name, "security.capability", out cap);
            if (errno == 0 && cap is not null)
                e.Xattrs.Add(new TarXattr("security.capability", CapabilityV2(cap)));
            return;
        }
        _xattrNames.Clear();
        int listed = file.SelfFd >= 0 ? Xattrs.List(file.SelfFd, _xattrNames) : Xattrs.ListAt(file.ParentFd, file.Name, _xattrNames);
        if (listed is Errno.EOPNOTSUPP or Errno.ENODATA || _xattrNames.Count == 0)
            return;
        if (listed != 0)
            throw Fail(listed, "listxattr", file.Path);
        _xattrNames.Sort(StringComparer.Ordinal);
        foreach (string name in _xattrNames)
        {
            if (Whiteouts.IsOverlayPrivate(name))
                continue;
            int errno = file.SelfFd >= 0 ? Xattrs.Get(file.SelfFd, name, out var value) : Xattrs.GetAt(file.ParentFd, file.Name, name, out value);
            if (errno == Errno.ENODATA)
                continue;
            if (errno != 0 || value is null)
                throw Fail(errno, $"getxattr {name}", file.Path);
            e.Xattrs.Add(new TarXattr(name, name == "security.capability" ? CapabilityV2(value) : value));
        }
    }

    /// <summary>
    /// Docker's conversion of a VFS_CAP_REVISION_3 capability (with the root uid of the user
    /// namespace it was set in) to revision 2: that uid means nothing outside the namespace.
    /// </summary>
    static byte[] CapabilityV2(byte[] cap)
    {
        if (cap.Length > 20 && cap[3] == 3)
        {
            var v2 = cap[..20];
            v2[3] = 2;
            return v2;
        }
        return cap;
    }

    bool IsOpaque(in WalkEntry dir)
    {
        int errno = Xattrs.Get(dir.SelfFd, Whiteouts.OverlayOpaqueXattr, out var value);
        if (errno != 0)
            errno = Xattrs.Get(dir.SelfFd, Whiteouts.UserOverlayOpaqueXattr, out value);
        return errno == 0 && value is [(byte)'y'];
    }

    void CopyData(in WalkEntry file, long size)
    {
        int fd = FilesAt.Open(file.ParentFd, file.Name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlocking);
        if (fd < 0)
            throw Fail(-fd, "open", file.Path);
        try
        {
            long left = size;
            while (left > 0)
            {
                int n = FilesAt.Read(fd, _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, left)));
                if (n < 0)
                    throw Fail(-n, "read", file.Path);
                if (n == 0)
                    break;
                writer.WriteData(_buffer.AsSpan(0, n));
                left -= n;
            }
            // A file that shrank after its header was written: pad, so that the archive stays well-formed.
            writer.WriteZeros(left);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    static StoreException Fail(int errno, string operation, ReadOnlySpan<byte> path)
        => new(StoreErrorKind.Internal, $"write layer: {operation} {TarPath.Show(path)}: {LinuxException.Describe(errno)}");

    public void Dispose()
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
