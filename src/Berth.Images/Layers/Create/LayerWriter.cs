using System.Security.Cryptography;
using System.Text;
using Berth.Linux;
using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>
/// Makes layer tars from directories, byte-compatible with what Docker's graph drivers produce
/// (moby/go-archive with Go's archive/tar): entries in WalkDir order, ustar headers unless PAX is
/// needed, mtimes in whole seconds, empty uname/gname. The same tree always gives the same bytes
/// and digests. What differs from Docker, on purpose: all xattrs are kept by default (Docker keeps
/// only security.capability: <see cref="XattrPolicy.CapabilityOnly"/> restores that), overlay
/// whiteouts are never written as hard links to each other, and a two-tree diff stamps whiteouts
/// with <see cref="LayerWriteOptions.WhiteoutTime"/> instead of the current time. Sparse files are
/// written in full, as Docker does (holes as zeros: the digest then depends on the content only, not
/// on how a file system happened to allocate it); <see cref="LayerApplier"/> puts the holes back.
/// </summary>
public static class LayerWriter
{
    /// <summary>A tar of everything below <paramref name="root"/> (docker export, import, a rootfs): Docker's archive.Tar.</summary>
    public static LayerWriteResult WriteDirectory(string root, Stream output, LayerWriteOptions? options = null)
        => Write(output, options, convertOverlayWhiteouts: false, appender =>
        {
            int fd = OpenRoot(root);
            try
            {
                TreeWalker.Walk(fd, (in WalkEntry entry) => appender.Add(entry));
            }
            finally
            {
                FilesAt.Close(fd);
            }
        });

    /// <summary>
    /// The layer of an overlayfs upper directory, as Docker's overlay2 driver makes it: the upper dir
    /// as it is, with whiteout devices written as <c>.wh.&lt;name&gt;</c> and opaque directories followed by
    /// <c>.wh..wh..opq</c>. The upper dir must not be in use by a mounted overlay while this runs
    /// (or be quiescent: the container paused), and the overlay must not use redirect_dir or metacopy.
    /// </summary>
    public static LayerWriteResult WriteOverlayDiff(string upper, Stream output, LayerWriteOptions? options = null)
        => Write(output, options, convertOverlayWhiteouts: true, appender =>
        {
            int fd = OpenRoot(upper);
            try
            {
                TreeWalker.Walk(fd, (in WalkEntry entry) => appender.Add(entry));
            }
            finally
            {
                FilesAt.Close(fd);
            }
        });

    /// <summary>
    /// The layer that turns <paramref name="oldTree"/> (null: nothing) into <paramref name="newTree"/>,
    /// found by comparing both (Docker's naive diff: ChangesDirs, then ExportChanges in path order):
    /// added and changed entries in full, deleted ones as whiteouts.
    /// </summary>
    public static LayerWriteResult WriteDiff(string newTree, string? oldTree, Stream output, LayerWriteOptions? options = null)
    {
        options ??= new LayerWriteOptions();
        // Sorted by path string, as ExportChanges sorts ("/a.b" before "/a/b", unlike the walk).
        var changes = LayerChanges.CompareRaw(newTree, oldTree, options.Xattrs);
        return Write(output, options, convertOverlayWhiteouts: false, appender =>
        {
            int root = OpenRoot(newTree);
            var exporter = new ChangeExporter(root, appender);
            try
            {
                foreach (var change in changes)
                    exporter.Export(change);
            }
            finally
            {
                exporter.Dispose();
                FilesAt.Close(root);
            }
        });
    }

    static LayerWriteResult Write(Stream output, LayerWriteOptions? options, bool convertOverlayWhiteouts, Action<TarAppender> body)
    {
        options ??= new LayerWriteOptions();
        using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var blob = new HashingStream(output);
        long tarSize;
        using (var compressed = LayerStreams.Compress(blob, options.Compression, options.CompressionLevel, leaveOpen: true))
        {
            using var writer = new TarWriter(compressed, diffHash);
            using (var appender = new TarAppender(writer, options, convertOverlayWhiteouts))
                body(appender);
            writer.Finish();
            tarSize = writer.BytesWritten;
        }
        blob.Flush();
        var diffId = Digest.FromHash(Digest.Sha256, diffHash);
        var digest = Digest.FromHash(Digest.Sha256, blob.Hash);
        return new LayerWriteResult(diffId, tarSize, digest, blob.Written, options.Compression);
    }

    internal static int OpenRoot(string path)
    {
        int fd = FilesAt.Open(-100, Encoding.UTF8.GetBytes(path), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new StoreException(-fd == Errno.ENOENT ? StoreErrorKind.NotFound : StoreErrorKind.Internal, $"write layer: open {path}: {LinuxException.Describe(-fd)}");
        return fd;
    }

    /// <summary>Writes the entries of a change list, reopening the parent directory only when it changes.</summary>
    sealed class ChangeExporter(int root, TarAppender appender) : IDisposable
    {
        string? _parentPath;
        int _parentFd = -1;

        public void Export(in Change change)
        {
            var path = Encoding.Latin1.GetBytes(change.Path.TrimStart('/'));
            if (change.Kind == ChangeKind.Deleted)
            {
                appender.AddDeletion(path);
                return;
            }
            TarPath.Split(path, out var parent, out var name);
            int parentFd = Parent(Encoding.Latin1.GetString(parent));
            if (parentFd < 0 || FilesAt.Stat(parentFd, name, followSymlinks: false, out var stat) != 0)
                return; // gone since the comparison (Docker logs and goes on)
            int self = -1;
            if (stat.IsDirectory)
                self = FilesAt.Open(parentFd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
            try
            {
                if (!stat.IsDirectory || self >= 0)
                    appender.Add(new WalkEntry(parentFd, name, path, stat, self));
            }
            finally
            {
                FilesAt.Close(self);
            }
        }

        int Parent(string parent)
        {
            if (parent.Length == 0)
                return root;
            if (parent == _parentPath)
                return _parentFd;
            FilesAt.Close(_parentFd);
            _parentPath = parent;
            // The path came from our own walk: no symlink may be followed on the way.
            _parentFd = FilesAt.OpenInRoot(root, Encoding.Latin1.GetBytes(parent), OpenFlags.ReadOnly | OpenFlags.Directory,
                ResolveFlags.Beneath | ResolveFlags.NoSymlinks);
            return _parentFd;
        }

        public void Dispose() => FilesAt.Close(_parentFd);
    }
}
