using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Berth.Build.Context;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Build.Copy;

/// <summary>
/// The cache checksum of what a COPY/ADD reads: sha256 over every file it would copy, in order, as its path relative
/// to the source root, type, permission bits, uid, gid, symlink target and content digest. Not mtimes: touching a
/// file keeps the key, changing one byte changes it. Content digests come from the <see cref="BuildContext"/> when the
/// source root is the context (no second read), and are computed from the files otherwise.
/// </summary>
public static class CopyChecksum
{
    public static string Compute(int rootFd, IReadOnlyList<CopySource> sources, PatternMatcher excludes, BuildContext? context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var link = new byte[4096];
        try
        {
            foreach (var source in sources)
            {
                if (!excludes.IsEmpty && excludes.Matches(source.Path))
                    continue;
                Append(hash, $"source\0{source.Path}\0{source.ParentsPath}\n");
                int fd = RootFiles.Open(rootFd, source.Path, OpenFlags.Path);
                if (fd < 0)
                    throw RootFiles.Fail(-fd, "open", source.Path);
                FileStat stat;
                try
                {
                    FilesAt.Stat(fd, out stat);
                }
                finally
                {
                    FilesAt.Close(fd);
                }
                // A symlink named as the source was followed: its path says nothing about where the content came from.
                bool followed = IsSymlink(rootFd, source.Path);
                if (!stat.IsDirectory)
                {
                    if (!stat.IsRegularFile || Known(context, followed ? null : source.Path) is not { } digest)
                        digest = Read(rootFd, source.Path, stat, buffer);
                    Entry(hash, "", stat, default, digest);
                    continue;
                }
                int dir = RootFiles.Open(rootFd, source.Path, OpenFlags.ReadOnly | OpenFlags.Directory);
                if (dir < 0)
                    throw RootFiles.Fail(-dir, "open", source.Path);
                try
                {
                    Entry(hash, "", stat, default, null);
                    var filter = new ExcludeFilter(excludes);
                    TreeWalker.Walk(dir, excludes.IsEmpty ? null : filter.Decide, (in WalkEntry e) =>
                    {
                        string rel = Encoding.UTF8.GetString(e.Path);
                        ReadOnlySpan<byte> target = default;
                        if (e.Stat.IsSymlink && FilesAt.ReadLink(e.ParentFd, e.Name, link, out int length) == 0)
                            target = link.AsSpan(0, length);
                        byte[]? digest = null;
                        if (e.Stat.IsRegularFile)
                        {
                            // The context's digest first: a warm build then opens none of the context's files.
                            string path = Join(source.Path, rel);
                            digest = Known(context, followed ? null : path);
                            if (digest is null)
                            {
                                int file = FilesAt.Open(e.ParentFd, e.Name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlocking);
                                if (file < 0)
                                    throw RootFiles.Fail(-file, "open", path);
                                try
                                {
                                    digest = Hash(file, path, buffer);
                                }
                                finally
                                {
                                    FilesAt.Close(file);
                                }
                            }
                        }
                        Entry(hash, rel, e.Stat, target, digest);
                    });
                }
                finally
                {
                    FilesAt.Close(dir);
                }
            }
            return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static bool IsSymlink(int rootFd, string path)
    {
        int fd = RootFiles.Open(rootFd, path, OpenFlags.Path | OpenFlags.NoFollow);
        if (fd < 0)
            return false;
        try
        {
            return FilesAt.Stat(fd, out var stat) == 0 && stat.IsSymlink;
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>
    /// The source's path as the context names its files: a source of "." (COPY . /) adds nothing, so that "./a" is
    /// found as "a" and not read again.
    /// </summary>
    static string Join(string source, string rel) => source == "." ? rel : source + "/" + rel;

    /// <summary>The digest the context took of <paramref name="path"/> on its way in; null when it has none (or the path came through a symlink).</summary>
    static byte[]? Known(BuildContext? context, string? path)
        => context is not null && path is not null && context.TryGetDigest(path, out var known) ? known : null;

    /// <summary>A file named as the source (a symlink followed inside the root), opened, and hashed when it is a regular one.</summary>
    static byte[]? Read(int rootFd, string path, in FileStat stat, byte[] buffer)
    {
        int file = RootFiles.Open(rootFd, path, OpenFlags.ReadOnly | OpenFlags.NonBlocking);
        if (file < 0)
            throw RootFiles.Fail(-file, "open", path);
        try
        {
            return stat.IsRegularFile ? Hash(file, path, buffer) : null;
        }
        finally
        {
            FilesAt.Close(file);
        }
    }

    static byte[] Hash(int fd, string path, byte[] buffer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int n; (n = FilesAt.Read(fd, buffer)) != 0;)
        {
            if (n < 0)
                throw RootFiles.Fail(-n, "read", path);
            hash.AppendData(buffer, 0, n);
        }
        return hash.GetHashAndReset();
    }

    static void Entry(IncrementalHash hash, string path, in FileStat stat, ReadOnlySpan<byte> link, byte[]? digest)
    {
        // The same bytes as the UTF-8 of the interpolated string, formatted in place: one entry per file of a COPY.
        int size = Encoding.UTF8.GetMaxByteCount(path.Length) + 64;
        byte[]? rented = size > 1024 ? ArrayPool<byte>.Shared.Rent(size) : null;
        Span<byte> line = rented ?? stackalloc byte[1024];
        try
        {
            if (!Utf8.TryWrite(line, $"{path}\0{stat.Type:x}\0{stat.Permissions:x}\0{stat.Uid}\0{stat.Gid}\0", out int written))
                throw new InvalidOperationException("checksum entry larger than its buffer");
            hash.AppendData(line[..written]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
        hash.AppendData(link);
        hash.AppendData("\0"u8);
        if (digest is not null)
            hash.AppendData(digest);
        hash.AppendData("\n"u8);
    }

    static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
