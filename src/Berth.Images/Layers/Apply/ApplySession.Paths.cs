using System.Text;
using Berth.Linux;

namespace Berth.Images.Layers;

internal sealed partial class ApplySession
{
    const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;
    const uint ImpliedDirectoryMode = 0x1ED; // 0755, Docker's ImpliedDirectoryMode

    // The last parent directory opened: entries of a layer come directory by directory, so most
    // entries reuse it and cost no path walk at all.
    byte[] _parentKey = new byte[1024];
    int _parentKeyLength = -1;
    int _parentFd = -1;
    bool _cachedSetgid;
    uint _cachedGid;

    // Of the parent of the entry being applied: whether files made there get its group.
    bool _parentSetgid;
    uint _parentGid;

    /// <summary>
    /// A descriptor of the entry's parent directory, resolved by the kernel inside the root
    /// (symlinks followed as in a chroot, never out of it); directories the archive implies
    /// without listing them are created 0755 and owned by the (mapped) root, as Docker does.
    /// </summary>
    int Parent(ReadOnlySpan<byte> parent, TarEntry e)
    {
        if (parent.IsEmpty)
        {
            _parentSetgid = _rootSetgid;
            _parentGid = _rootDirGid;
            return _root;
        }
        if (_parentKeyLength == parent.Length && parent.SequenceEqual(_parentKey.AsSpan(0, _parentKeyLength)))
        {
            _parentSetgid = _cachedSetgid;
            _parentGid = _cachedGid;
            return _parentFd;
        }
        FilesAt.Close(_parentFd);
        _parentFd = -1;
        _parentKeyLength = -1;
        int fd = FilesAt.OpenInRoot(_root, parent, OpenFlags.ReadOnly | OpenFlags.Directory, InRoot);
        if (fd == -Errno.ENOENT)
            fd = CreateImplied(parent);
        if (fd < 0)
            throw Fail(-fd, $"open parent directory \"{TarPath.Show(parent)}\" of", e);
        if (FilesAt.Stat(fd, out var stat) == 0)
        {
            _parentSetgid = _cachedSetgid = (stat.Mode & S_ISGID) != 0;
            _parentGid = _cachedGid = stat.Gid;
        }
        if (_parentKey.Length < parent.Length)
            _parentKey = new byte[parent.Length * 2];
        parent.CopyTo(_parentKey);
        _parentKeyLength = parent.Length;
        _parentFd = fd;
        return fd;
    }

    /// <summary>
    /// Forgets the cached parent after anything was removed: a removal may have replaced a directory
    /// on the cached path by a symlink. The descriptor stays open until the next lookup, since the
    /// entry being applied may still be using it.
    /// </summary>
    void InvalidateParent() => _parentKeyLength = -1;

    /// <summary>os.MkdirAll inside the root: each missing component made below the resolved one before it.</summary>
    int CreateImplied(ReadOnlySpan<byte> parent)
    {
        int current = _root;
        int start = 0;
        while (true)
        {
            int slash = parent[start..].IndexOf((byte)'/');
            int end = slash < 0 ? parent.Length : start + slash;
            var prefix = parent[..end];
            var component = parent[start..end];
            int fd = FilesAt.OpenInRoot(_root, prefix, OpenFlags.ReadOnly | OpenFlags.Directory, InRoot);
            if (fd == -Errno.ENOENT)
            {
                int errno = FilesAt.MakeDirectory(current, component, ImpliedDirectoryMode);
                if (errno == 0)
                {
                    if (_chown && (_rootUid != _euid || _rootGid != _egid))
                        errno = FilesAt.ChownNoFollow(current, component, _rootUid, _rootGid);
                    if (errno == 0 && (_umask & ImpliedDirectoryMode) != 0)
                        errno = FilesAt.Chmod(current, component, ImpliedDirectoryMode);
                }
                // EEXIST: something that is no directory (a dangling symlink): the reopen fails clearly.
                if (errno is not (0 or Errno.EEXIST))
                {
                    if (current != _root)
                        FilesAt.Close(current);
                    return -errno;
                }
                fd = FilesAt.OpenInRoot(_root, prefix, OpenFlags.ReadOnly | OpenFlags.Directory, InRoot);
            }
            if (current != _root)
                FilesAt.Close(current);
            if (fd < 0 || end == parent.Length)
                return fd;
            current = fd;
            start = end + 1;
        }
    }

    /// <summary>
    /// Removes whatever is at <paramref name="name"/> so that the entry can take its place (Docker's RemoveAll), unless
    /// <see cref="ApplyOptions.NoOverwriteDirNonDir"/> forbids a directory to replace a non-directory or the reverse.
    /// </summary>
    void Replace(int parentFd, ReadOnlySpan<byte> name, TarEntry e)
    {
        if (_options.NoOverwriteDirNonDir && FilesAt.Stat(parentFd, name, followSymlinks: false, out var existing) == 0
            && existing.IsDirectory != e.IsDirectory)
            throw OverwriteRefused(existing.IsDirectory, _path.AsSpan(0, _pathLength));
        InvalidateParent();
        Check(TreeRemover.RemoveAll(parentFd, name), "replace", e);
    }

    /// <summary>
    /// <c>.wh.&lt;name&gt;</c> and <c>.wh..wh..opq</c>: deleted on a plain directory, or turned into
    /// overlay whiteouts (a 0/0 character device owned as the entry says; the opaque xattr) on an upper one.
    /// </summary>
    void ApplyWhiteout(TarEntry e, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        bool overlay = _options.Whiteouts == WhiteoutMode.Overlay;
        if (name.SequenceEqual(Whiteouts.OpaqueBytes))
        {
            int dirFd = Parent(parent, e);
            if (overlay)
            {
                Check(Xattrs.Set(dirFd, _options.OpaqueXattr, "y"u8), $"setxattr {_options.OpaqueXattr} for", e);
                return;
            }
            // Keep what this layer already put in the directory; everything older goes.
            string prefix = parent.IsEmpty ? "" : Encoding.Latin1.GetString(parent) + "/";
            InvalidateParent();
            Check(TreeRemover.RemoveChildren(dirFd, child => _unpacked!.Contains(prefix + Encoding.Latin1.GetString(child))), "clear opaque directory for", e);
            return;
        }
        var original = name[Whiteouts.PrefixBytes.Length..];
        if (original.IsEmpty || original.SequenceEqual("."u8) || original.SequenceEqual(".."u8))
            throw StoreException.Invalid($"invalid whiteout entry \"{e.Name}\"");
        int fd = Parent(parent, e);
        InvalidateParent();
        Check(TreeRemover.RemoveAll(fd, original), "remove whited-out file for", e);
        if (!overlay)
            return;
        Check(FilesAt.MakeNode(fd, original, Files.S_IFCHR, 0, 0), "make whiteout device for", e);
        var (uid, gid) = Owner(e);
        if (NeedsChown(uid, gid))
            Check(FilesAt.ChownNoFollow(fd, original, uid, gid), "chown whiteout for", e);
    }
}
