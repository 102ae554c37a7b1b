using System.IO.Pipelines;
using System.Text;
using Berth.Build.Context;
using Berth.Images;
using Berth.Images.Layers;
using Berth.Images.Users;
using Berth.Linux;

namespace Berth.Build.Copy;

/// <summary>What a COPY/ADD wrote: how many sources, and the cache checksum of what it read.</summary>
public sealed record CopyResult(int Sources, string Checksum);

/// <summary>
/// The file side of COPY and ADD, as dockerd's legacy builder does it (copy.go, internals.go): each source is taken as
/// a tar (the same walker and appender as layers) and extracted into the destination root by the layer applier, so
/// every write is bounded to that root. A directory source copies its contents; a file goes to dest/name when dest
/// ends with "/" or is a directory, else to dest; missing parents are made 0755; everything is owned 0:0 unless
/// --chown; modes and whole-second mtimes are kept (--chmod replaces the modes); symlinks and hard links stay links.
/// ADD extracts local tar archives (plain, gzip, bzip2, xz, zstd) and downloads URLs (<see cref="UrlFetcher"/>).
/// </summary>
public static class ContextCopier
{
    /// <summary>Copies <paramref name="options"/>' sources from <paramref name="sourceRoot"/> into <paramref name="destinationRoot"/>.</summary>
    /// <param name="context">The build context when the source root is it (its file digests make the checksum cheap).</param>
    public static CopyResult Copy(string sourceRoot, string destinationRoot, CopyOptions options, BuildContext? context = null)
    {
        int src = RootFiles.OpenDirectory(sourceRoot);
        int dst = RootFiles.OpenDirectory(destinationRoot);
        try
        {
            return Copy(src, dst, options, context);
        }
        finally
        {
            FilesAt.Close(src);
            FilesAt.Close(dst);
        }
    }

    /// <summary>
    /// The cache checksum of what a COPY/ADD would read (before anything is written, so that a cache hit copies
    /// nothing); the same errors as the copy for sources that are missing. URL sources add nothing: their content is
    /// known only once fetched.
    /// </summary>
    public static string Checksum(string sourceRoot, CopyOptions options, BuildContext? context = null)
    {
        int src = RootFiles.OpenDirectory(sourceRoot);
        try
        {
            var local = options.Sources.Where(s => !(options.IsAdd && UrlFetcher.IsUrl(s))).ToList();
            var sources = local.Count > 0 ? SourceResolver.Resolve(src, options, local) : [];
            return CopyChecksum.Compute(src, sources, new PatternMatcher(options.Excludes), context);
        }
        finally
        {
            FilesAt.Close(src);
        }
    }

    public static CopyResult Copy(int sourceRootFd, int destinationRootFd, CopyOptions options, BuildContext? context = null)
    {
        var chmod = ChmodParser.Parse(options.Chmod);
        var excludes = new PatternMatcher(options.Excludes);
        var urls = options.Sources.Where(s => options.IsAdd && UrlFetcher.IsUrl(s)).ToList();
        var local = options.Sources.Where(s => !urls.Contains(s)).ToList();
        if (options.Checksum is not null && local.Count > 0)
            throw new BuildContextException("checksum can't be specified for non-HTTP(S) sources");
        if (urls.Count > 0 && !options.IsAdd)
            throw new BuildContextException("source can't be a URL for COPY");
        var sources = local.Count > 0 ? SourceResolver.Resolve(sourceRootFd, options, local) : [];
        int count = sources.Count + urls.Count;
        if (count > 1 && !options.Destination.EndsWith('/'))
            throw new BuildContextException($"When using {options.Keyword} with more than one source file, the destination must be a directory and end with a /");
        var owner = Owner(destinationRootFd, options.Chown);
        var destination = Destination(options);
        string checksum = CopyChecksum.Compute(sourceRootFd, sources, excludes, context);
        foreach (var source in sources)
        {
            if (!excludes.IsEmpty && excludes.Matches(source.Path))
                continue;
            CopyOne(sourceRootFd, destinationRootFd, source, destination, options, owner, chmod, excludes);
        }
        foreach (string url in urls)
            checksum = UrlFetcher.Add(url, destinationRootFd, destination, options, owner, chmod);
        return new CopyResult(count, checksum);
    }

    /// <summary>A here-document as a file: COPY &lt;&lt;EOF /dest writes its content (0644, or --chmod).</summary>
    public static void WriteHeredoc(int destinationRootFd, string name, string content, CopyOptions options)
    {
        var owner = Owner(destinationRootFd, options.Chown);
        var destination = Destination(options);
        string target = destination.Directory ? GoPath.Join(destination.Path, name) : destination.Path;
        if (!destination.Directory && RootFiles.IsDirectory(destinationRootFd, destination.Path))
            target = GoPath.Join(destination.Path, name);
        var data = Encoding.UTF8.GetBytes(content);
        WriteFile(destinationRootFd, target, owner, ChmodParser.Parse(options.Chmod) ?? 0x1A4, options.HeredocTime, new MemoryStream(data), data.Length);
    }

    /// <summary>The destination inside the root (no leading "/"), and whether it names a directory (a trailing "/").</summary>
    internal readonly record struct Target(string Path, bool Directory);

    /// <summary>dockerd's normalizeDest: a relative destination is under WORKDIR; a trailing "/" is kept as meaning.</summary>
    internal static Target Destination(CopyOptions options)
    {
        string dest = options.Destination;
        string absolute = GoPath.IsAbs(dest) ? GoPath.Clean(dest) : GoPath.Join("/", options.WorkingDir, dest);
        return new Target(absolute.TrimStart('/'), dest.EndsWith('/') || options.Parents);
    }

    /// <summary>dockerd's parseChownFlag: "user[:group]" (a user alone is its own group name), looked up in the destination.</summary>
    internal static (uint Uid, uint Gid) Owner(int destinationRootFd, string? chown)
    {
        if (string.IsNullOrEmpty(chown))
            return (0, 0);
        string[] parts = chown.Split(':');
        if (parts.Length > 2)
            throw new BuildContextException($"invalid chown string format: {chown}");
        string user = parts[0], group = parts.Length == 1 ? parts[0] : parts[1];
        IEnumerable<string> Read(string file) => RootFiles.ReadLines(destinationRootFd, file);
        const string prefix = "unable to convert uid/gid chown string to host mapping";
        uint uid, gid;
        try
        {
            uid = UserResolver.LookupUser(Read, user);
        }
        catch (StoreException e)
        {
            throw new BuildContextException($"{prefix}: can't find uid for user {user}: {e.Message}");
        }
        try
        {
            gid = UserResolver.LookupGroup(Read, group);
        }
        catch (StoreException e)
        {
            throw new BuildContextException($"{prefix}: can't find gid for group {group}: {e.Message}");
        }
        return (uid, gid);
    }

    static void CopyOne(int srcRoot, int dstRoot, CopySource source, Target destination, CopyOptions options, (uint, uint) owner, uint? chmod, PatternMatcher excludes)
    {
        int fd = RootFiles.Open(srcRoot, source.Path, OpenFlags.Path);
        if (fd < 0)
            throw SourceResolver.Failed(options, $"source path not found: stat {source.Path}: {LinuxException.Describe(-fd)}");
        FileStat stat;
        try
        {
            FilesAt.Stat(fd, out stat);
        }
        finally
        {
            FilesAt.Close(fd);
        }
        string target = destination.Path;
        if (options.Parents)
            target = GoPath.Join(target, source.ParentsPath).TrimStart('/');
        if (target == ".")
            target = "";
        if (stat.IsDirectory)
        {
            CopyDirectory(srcRoot, dstRoot, source.Path, target, owner, chmod, excludes);
            return;
        }
        int file = RootFiles.Open(srcRoot, source.Path, OpenFlags.ReadOnly | OpenFlags.NonBlocking);
        if (file < 0)
            throw RootFiles.Fail(-file, "open", source.Path);
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(file, ownsHandle: true), FileAccess.Read);
        if (options.IsAdd && Archives.IsArchive(stream))
        {
            int dir = RootFiles.MakeDirectories(dstRoot, target, (0, 0), out _);
            try
            {
                Archives.Extract(stream, dir, "/" + target);
            }
            finally
            {
                FilesAt.Close(dir);
            }
            return;
        }
        if (!options.Parents && (destination.Directory || RootFiles.IsDirectory(dstRoot, target)))
            target = GoPath.Join(target, GoPath.Base(source.Path)).TrimStart('/');
        WriteFile(dstRoot, target, owner, chmod ?? stat.Permissions, stat.MtimeSeconds, stream, stat.Size);
    }

    /// <summary>copyDirectory: the source's contents into the destination directory (made, and then owned by the owner, when new).</summary>
    static void CopyDirectory(int srcRoot, int dstRoot, string source, string target, (uint Uid, uint Gid) owner, uint? chmod, PatternMatcher excludes)
    {
        int dir = RootFiles.Open(srcRoot, source, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (dir < 0)
            throw RootFiles.Fail(-dir, "open", source);
        try
        {
            int destination = RootFiles.MakeDirectories(dstRoot, target, owner, out _);
            try
            {
                var writeOptions = new LayerWriteOptions { Xattrs = XattrPolicy.CapabilityOnly, Permissions = chmod };
                Transfer(output =>
                {
                    using var writer = new TarWriter(output);
                    using (var appender = new TarAppender(writer, writeOptions, convertOverlayWhiteouts: false))
                    {
                        var filter = new ExcludeFilter(excludes);
                        TreeWalker.Walk(dir, excludes.IsEmpty ? null : filter.Decide, (in WalkEntry e) => appender.Add(e));
                    }
                    writer.Finish();
                }, destination, "/" + target, owner);
            }
            finally
            {
                FilesAt.Close(destination);
            }
        }
        finally
        {
            FilesAt.Close(dir);
        }
    }

    /// <summary>copyFile: one regular file's content written at <paramref name="target"/>, its parents made.</summary>
    internal static void WriteFile(int dstRoot, string target, (uint Uid, uint Gid) owner, uint mode, long mtime, Stream content, long size)
    {
        string parent = GoPath.Dir(target);
        int dir = RootFiles.MakeDirectories(dstRoot, parent == "." ? "" : parent, owner, out _);
        try
        {
            string name = GoPath.Base(target);
            Transfer(output =>
            {
                using var writer = new TarWriter(output);
                var entry = new TarEntry { Type = TarEntryType.Regular, Name = name, Mode = mode, Size = size, MtimeSeconds = mtime };
                writer.WriteHeader(entry);
                var buffer = new byte[Math.Min(1 << 20, Math.Max(size, 1))];
                long left = size;
                while (left > 0)
                {
                    int n = content.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n == 0)
                        break;
                    writer.WriteData(buffer.AsSpan(0, n));
                    left -= n;
                }
                writer.WriteZeros(left); // the file shrank while it was copied
                writer.Finish();
            }, dir, "/" + parent, owner);
        }
        finally
        {
            FilesAt.Close(dir);
        }
    }

    /// <summary>Runs <paramref name="produce"/> (writing a tar) on another thread and applies what it writes into <paramref name="targetFd"/>.</summary>
    static void Transfer(Action<Stream> produce, int targetFd, string targetName, (uint Uid, uint Gid) owner)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
        var producer = Task.Run(() =>
        {
            using var output = pipe.Writer.AsStream();
            try
            {
                produce(output);
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
                throw;
            }
        });
        try
        {
            using var input = pipe.Reader.AsStream();
            LayerApplier.Apply(input, targetFd, targetName, new ApplyOptions { Whiteouts = WhiteoutMode.None, Owner = owner, ChangeOwnership = true });
        }
        catch (Exception) when (producer.IsFaulted || !producer.IsCompleted)
        {
            pipe.Reader.Complete();
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (Exception inner) when (inner is BuildContextException or StoreException)
            {
                throw Wrap(inner);
            }
            throw;
        }
        catch (StoreException e)
        {
            throw Wrap(e);
        }
        producer.GetAwaiter().GetResult();
    }

    static BuildContextException Wrap(Exception e) => e as BuildContextException
        ?? new BuildContextException($"failed to copy files: {e.Message}", e, e is StoreException { Kind: not StoreErrorKind.Internal });
}
