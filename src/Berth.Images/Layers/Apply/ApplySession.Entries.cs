using Berth.Linux;

namespace Berth.Images.Layers;

internal sealed partial class ApplySession
{
    const int HoleBlock = 4096;
    const long HoleThreshold = 1 << 20;

    void CreateFile(TarReader reader, TarEntry e, int parentFd, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        const OpenFlags create = OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.NoCtty;
        uint perm = e.Mode & 0x1FF;
        int fd = FilesAt.Open(parentFd, name, create, perm);
        if (fd == -Errno.EEXIST)
        {
            Replace(parentFd, name, e);
            fd = FilesAt.Open(parentFd, name, create, perm);
        }
        if (fd < 0)
            throw Fail(-fd, "create", e);
        try
        {
            if (e.IsSparse)
                WriteSparse(reader, e, fd);
            else if (e.Size >= HoleThreshold)
                WriteWithHoles(reader, e, fd);
            else
            {
                for (var chunk = reader.ReadData(); !chunk.IsEmpty; chunk = reader.ReadData())
                {
                    _options.Observer?.Data(chunk);
                    Check(FilesAt.Write(fd, chunk), "write", e);
                }
            }
            // Owner before xattrs (chown drops security.capability) and before mode (it drops set-id bits).
            if (NeedsChown(uid, gid))
                Check(FilesAt.Chown(fd, uid, gid), "chown", e);
            if (e.Xattrs.Count > 0)
                SetXattrs(e, fd, -1, default);
            if (NeedsChmod(e.Mode))
                Check(FilesAt.Chmod(fd, e.Mode), "chmod", e);
            Check(FilesAt.SetTimes(fd, Times(e)), "set times of", e);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>A PAX or GNU sparse entry: each segment at its offset, the holes left unwritten, the size set at the end.</summary>
    void WriteSparse(TarReader reader, TarEntry e, int fd)
    {
        var observer = _options.Observer;
        long observed = 0;
        foreach (var segment in e.Sparse)
        {
            long offset = segment.Offset, left = segment.Length;
            if (observer is not null)
                observed = ObserveZeros(observer, observed, offset);
            while (left > 0)
            {
                var chunk = reader.ReadData((int)Math.Min(left, int.MaxValue));
                observer?.Data(chunk);
                observed += chunk.Length;
                Check(FilesAt.WriteAt(fd, chunk, offset), "write", e);
                offset += chunk.Length;
                left -= chunk.Length;
            }
        }
        if (observer is not null)
            ObserveZeros(observer, observed, e.Size);
        Check(FilesAt.Truncate(fd, e.Size), "truncate", e);
    }

    static readonly byte[] ObservedHole = new byte[64 * 1024];

    /// <summary>Shows the observer a hole as the zeros it reads as, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    static long ObserveZeros(IApplyObserver observer, long from, long to)
    {
        for (; from < to; from += Math.Min(to - from, ObservedHole.Length))
            observer.Data(ObservedHole.AsSpan(0, (int)Math.Min(to - from, ObservedHole.Length)));
        return Math.Max(from, to);
    }

    /// <summary>
    /// A large dense entry: whole 4 KiB blocks of zeros at block-aligned offsets are skipped and
    /// become holes, so that a layer holding e.g. a huge, mostly empty lastlog (which Docker and Go's
    /// tar write out in full) does not fill the disk. The content read back is the same.
    /// </summary>
    void WriteWithHoles(TarReader reader, TarEntry e, int fd)
    {
        long offset = 0, written = 0;
        for (var chunk = reader.ReadData(); !chunk.IsEmpty; chunk = reader.ReadData())
        {
            _options.Observer?.Data(chunk);
            int run = -1;
            for (int i = 0; i < chunk.Length;)
            {
                int length = (int)Math.Min(chunk.Length - i, HoleBlock - ((offset + i) & (HoleBlock - 1)));
                bool zero = length == HoleBlock && !chunk.Slice(i, length).ContainsAnyExcept((byte)0);
                if (zero && run >= 0)
                {
                    Check(FilesAt.WriteAt(fd, chunk[run..i], offset + run), "write", e);
                    written = offset + i;
                    run = -1;
                }
                else if (!zero && run < 0)
                    run = i;
                i += length;
            }
            if (run >= 0)
            {
                Check(FilesAt.WriteAt(fd, chunk[run..], offset + run), "write", e);
                written = offset + chunk.Length;
            }
            offset += chunk.Length;
        }
        if (written < e.Size)
            Check(FilesAt.Truncate(fd, e.Size), "truncate", e);
    }

    void CreateDirectory(TarEntry e, int parentFd, ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        uint perm = e.Mode & 0x1FF;
        int errno = FilesAt.MakeDirectory(parentFd, name, perm);
        bool created = errno == 0;
        if (errno == Errno.EEXIST)
        {
            // An existing directory is merged (only its metadata changes); anything else is replaced.
            if (FilesAt.Stat(parentFd, name, followSymlinks: false, out var stat) == 0 && stat.IsDirectory)
                errno = 0;
            else
            {
                Replace(parentFd, name, e);
                errno = FilesAt.MakeDirectory(parentFd, name, perm);
                created = errno == 0;
            }
        }
        Check(errno, "mkdir", e);
        if (!created || NeedsChown(uid, gid))
        {
            if (_chown)
                Check(FilesAt.ChownNoFollow(parentFd, name, uid, gid), "chown", e);
        }
        if (e.Xattrs.Count > 0)
        {
            int fd = FilesAt.Open(parentFd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
            if (fd < 0)
                throw Fail(-fd, "open", e);
            try
            {
                SetXattrs(e, fd, -1, default);
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
        // A new directory inherits a setgid parent's S_ISGID; Docker's chmod sets the exact mode.
        if (!created || NeedsChmod(e.Mode) || _parentSetgid)
            Check(FilesAt.Chmod(parentFd, name, e.Mode), "chmod", e);
        _dirs.Add((path.ToArray(), Times(e)));
    }

    void CreateSymlink(TarEntry e, int parentFd, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        // The target is kept as written: it is resolved inside the root whenever it is followed.
        int errno = FilesAt.Symlink(e.LinkNameBytes, parentFd, name);
        if (errno == Errno.EEXIST)
        {
            Replace(parentFd, name, e);
            errno = FilesAt.Symlink(e.LinkNameBytes, parentFd, name);
        }
        Check(errno, $"symlink \"{e.LinkName}\" to", e);
        FinishNonRegular(e, parentFd, name, uid, gid, symlink: true);
    }

    void CreateHardLink(TarEntry e, int parentFd, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        if (_link.Length < e.LinkNameBytes.Length)
            _link = new byte[e.LinkNameBytes.Length * 2];
        int length = TarPath.Clean(e.LinkNameBytes, _link);
        if (length <= 0)
            throw StoreException.Invalid($"invalid hard link \"{e.Name}\" -> \"{e.LinkName}\": the target is outside of the root");
        var target = _link.AsSpan(0, length);
        if (target.StartsWith(Whiteouts.MetaPrefixBytes))
            throw StoreException.Invalid($"hard link \"{e.Name}\" -> \"{e.LinkName}\" points into AUFS metadata, which is not supported");
        TarPath.Split(target, out var targetParent, out var targetName);
        int targetDir = _root;
        if (!targetParent.IsEmpty)
        {
            targetDir = FilesAt.OpenInRoot(_root, targetParent, OpenFlags.Path | OpenFlags.Directory, InRoot);
            if (targetDir < 0)
                throw Fail(-targetDir, $"find hard link target \"{e.LinkName}\" of", e);
        }
        try
        {
            int errno = FilesAt.Link(targetDir, targetName, parentFd, name);
            if (errno == Errno.EEXIST)
            {
                Replace(parentFd, name, e);
                errno = FilesAt.Link(targetDir, targetName, parentFd, name);
            }
            Check(errno, $"hard link \"{e.LinkName}\" to", e);
        }
        finally
        {
            if (targetDir != _root)
                FilesAt.Close(targetDir);
        }
        // Docker sets the header's owner, mode and times on the linked inode too, unless it is a symlink.
        Check(FilesAt.Stat(parentFd, name, followSymlinks: false, out var stat), "stat", e);
        FinishNonRegular(e, parentFd, name, uid, gid, symlink: stat.IsSymlink);
    }

    void CreateNode(TarEntry e, int parentFd, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        uint type = e.Type switch
        {
            TarEntryType.CharDevice => Files.S_IFCHR,
            TarEntryType.BlockDevice => Files.S_IFBLK,
            _ => Files.S_IFIFO,
        };
        uint major = type == Files.S_IFIFO ? 0 : e.DevMajor, minor = type == Files.S_IFIFO ? 0 : e.DevMinor;
        int errno = FilesAt.MakeNode(parentFd, name, type | (e.Mode & 0x1FF), major, minor);
        if (errno == Errno.EEXIST)
        {
            Replace(parentFd, name, e);
            errno = FilesAt.MakeNode(parentFd, name, type | (e.Mode & 0x1FF), major, minor);
        }
        // Without CAP_MKNOD (rootless) Docker skips device nodes; so do we.
        if (errno == Errno.EPERM && !_isRoot && type != Files.S_IFIFO)
            return;
        Check(errno, "mknod", e);
        FinishNonRegular(e, parentFd, name, uid, gid, symlink: false);
    }

    /// <summary>Owner, xattrs, mode and times of an entry reached by name (no descriptor can be opened on a symlink or device).</summary>
    void FinishNonRegular(TarEntry e, int parentFd, ReadOnlySpan<byte> name, uint uid, uint gid, bool symlink)
    {
        if (NeedsChown(uid, gid) || (e.Type == TarEntryType.HardLink && _chown))
            Check(FilesAt.ChownNoFollow(parentFd, name, uid, gid), "chown", e);
        if (e.Xattrs.Count > 0)
            SetXattrs(e, -1, parentFd, name);
        // Linux has no lchmod; a symlink's mode is always 0777.
        if (!symlink && (NeedsChmod(e.Mode) || e.Type == TarEntryType.HardLink))
            Check(FilesAt.Chmod(parentFd, name, e.Mode), "chmod", e);
        if (e.Type != TarEntryType.HardLink || !symlink)
            Check(FilesAt.SetTimesNoFollow(parentFd, name, Times(e)), "set times of", e);
    }
}
