using System.Text;
using Berth.Linux;
using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>
/// An extracted archive's directory, opened once: every name an archive's documents give is checked lexically
/// (relative, no <c>..</c>) and then resolved by the kernel with openat2(RESOLVE_IN_ROOT) from the directory's
/// descriptor, so that no name and no symlink in the archive reaches a file outside it.
/// </summary>
internal sealed class ArchiveRoot : IDisposable
{
    readonly int _fd;

    ArchiveRoot(int fd, string realPath)
    {
        _fd = fd;
        RealPath = realPath;
    }

    /// <summary>The directory's real path (symlinks resolved): what the paths handed out start with.</summary>
    public string RealPath { get; }

    public static ArchiveRoot Open(string directory)
    {
        int fd = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(directory), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new StoreException(-fd == Errno.ENOENT ? StoreErrorKind.NotFound : StoreErrorKind.Internal,
                $"read archive: open {directory}: {LinuxException.Describe(-fd)}");
        return new ArchiveRoot(fd, RealPathOf(fd));
    }

    public bool Exists(string name)
    {
        int fd = OpenInRoot(name);
        FilesAt.Close(fd);
        return fd >= 0;
    }

    /// <summary>A whole file of at most <paramref name="limit"/> bytes (a document, not a layer).</summary>
    /// <param name="what">Who names the file, for messages: <c>manifest.json</c>, <c>index.json</c>.</param>
    public byte[] ReadAll(string name, long limit, string what)
    {
        int fd = OpenFile(name, what, out var stat);
        try
        {
            if (stat.Size > limit)
                throw StoreException.Invalid($"invalid archive: \"{name}\" named by {what} is {stat.Size} bytes, more than the {limit} a document may have");
            var content = new byte[stat.Size];
            int done = 0;
            while (done < content.Length)
            {
                int n = FilesAt.Read(fd, content.AsSpan(done));
                if (n < 0)
                    throw new StoreException(StoreErrorKind.Internal, $"read archive: read {name}: {LinuxException.Describe(-n)}");
                if (n == 0)
                    throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: \"{name}\" shrank while it was read");
                done += n;
            }
            return content;
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>A blob's bytes, checked against the descriptor's size and digest (DataLoss when they differ).</summary>
    public byte[] ReadBlob(Digest digest, long size, long limit, string what)
    {
        string name = BlobPath(digest);
        var content = ReadAll(name, limit, what);
        if (content.Length != size)
            throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: blob {digest} named by {what} is {content.Length} bytes, not {size}");
        Verify(content, digest, name, what);
        return content;
    }

    /// <summary>Checks that <paramref name="content"/> is what <paramref name="digest"/> names.</summary>
    public static void Verify(ReadOnlySpan<byte> content, Digest digest, string name, string what)
    {
        using var hash = digest.CreateHash();
        hash.AppendData(content);
        var actual = Digest.FromHash(digest.Algorithm, hash);
        if (actual != digest)
            throw new StoreException(StoreErrorKind.DataLoss, $"invalid archive: \"{name}\" named by {what} has digest {actual}, not {digest}");
    }

    /// <summary>
    /// The real path of a regular file the archive names (a legacy layer link resolved to its target), with its size.
    /// </summary>
    public string ResolveFile(string name, string what, out long size)
    {
        int fd = OpenFile(name, what, out var stat);
        try
        {
            size = stat.Size;
            string path = RealPathOf(fd);
            if (!path.StartsWith(RealPath + "/", StringComparison.Ordinal))
                throw StoreException.Invalid($"invalid archive: \"{name}\" named by {what} is outside the archive");
            return path;
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    int OpenFile(string name, string what, out FileStat stat)
    {
        CheckName(name, what);
        int fd = OpenInRoot(name);
        if (fd == -Errno.ENOENT || fd == -Errno.ENOTDIR)
            throw StoreException.Invalid($"invalid archive: {what} names \"{name}\", which the archive does not have");
        if (fd < 0)
            throw new StoreException(StoreErrorKind.Internal, $"read archive: open {name}: {LinuxException.Describe(-fd)}");
        if (FilesAt.Stat(fd, out stat) != 0 || !stat.IsRegularFile)
        {
            FilesAt.Close(fd);
            throw StoreException.Invalid($"invalid archive: \"{name}\" named by {what} is not a regular file");
        }
        return fd;
    }

    int OpenInRoot(string name)
        => FilesAt.OpenInRoot(_fd, Encoding.UTF8.GetBytes(name), OpenFlags.ReadOnly, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks | ResolveFlags.NoXdev);

    /// <summary>Refuses, rather than clamps as Docker does, a name that would leave the directory.</summary>
    static void CheckName(string name, string what)
    {
        if (name.Length == 0 || name[0] == '/' || name.Contains('\0') || name.Split('/').Contains(".."))
            throw StoreException.Invalid($"invalid archive: {what} names \"{name}\", which is outside the archive");
    }

    static string RealPathOf(int fd)
        => new FileInfo($"/proc/self/fd/{fd}").LinkTarget
            ?? throw new StoreException(StoreErrorKind.Internal, $"read archive: cannot resolve descriptor {fd}");

    public void Dispose() => FilesAt.Close(_fd);
}
