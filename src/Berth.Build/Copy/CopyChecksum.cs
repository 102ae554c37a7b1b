using System.Buffers;
using System.Security.Cryptography;
using System.Text;
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
                    int file = RootFiles.Open(rootFd, source.Path, OpenFlags.ReadOnly | OpenFlags.NonBlocking);
                    if (file < 0)
                        throw RootFiles.Fail(-file, "open", source.Path);
                    try
                    {
                        Entry(hash, "", stat, default, Digest(context, followed ? null : source.Path, file, stat, buffer));
                    }
                    finally
                    {
                        FilesAt.Close(file);
                    }
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
                            int file = FilesAt.Open(e.ParentFd, e.Name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlocking);
                            if (file < 0)
                                throw RootFiles.Fail(-file, "open", source.Path + "/" + rel);
                            try
                            {
                                digest = Digest(context, followed ? null : source.Path + "/" + rel, file, e.Stat, buffer);
                            }
                            finally
                            {
                                FilesAt.Close(file);
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

    static byte[]? Digest(BuildContext? context, string? path, int fd, in FileStat stat, byte[] buffer)
    {
        if (!stat.IsRegularFile)
            return null;
        if (context is not null && path is not null && context.TryGetDigest(path, out var known))
            return known;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int n; (n = FilesAt.Read(fd, buffer)) != 0;)
        {
            if (n < 0)
                throw RootFiles.Fail(-n, "read", path ?? "");
            hash.AppendData(buffer, 0, n);
        }
        return hash.GetHashAndReset();
    }

    static void Entry(IncrementalHash hash, string path, in FileStat stat, ReadOnlySpan<byte> link, byte[]? digest)
    {
        Append(hash, $"{path}\0{stat.Type:x}\0{stat.Permissions:x}\0{stat.Uid}\0{stat.Gid}\0");
        hash.AppendData(link);
        hash.AppendData("\0"u8);
        if (digest is not null)
            hash.AppendData(digest);
        hash.AppendData("\n"u8);
    }

    static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
