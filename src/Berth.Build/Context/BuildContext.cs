using System.Text;
using Berth.Images;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Build.Context;

/// <summary>
/// The daemon side of a build's context: the request body (a tar, plain, gzip or zstd; or a bare Dockerfile) extracted
/// safely into a scratch directory, the Dockerfile located and read, and the content digest of every file taken on
/// the way in. As dockerd's legacy builder does, the .dockerignore and the Dockerfile are then removed from the
/// context when its .dockerignore excludes them (the CLI had to send them). Disposing removes the directory; a
/// context over a tree berthd keeps between builds (<see cref="SyncedContexts"/>) gives the tree back instead.
/// </summary>
public sealed class BuildContext : IDisposable
{
    public const string DefaultDockerfile = "Dockerfile";

    readonly ContextDigests _digests;
    readonly Action? _release;
    bool _disposed;

    BuildContext(string root, ContextDigests digests, Action? release = null)
    {
        Root = root;
        _digests = digests;
        _release = release;
    }

    /// <summary>The context directory (files owned and moded as the archive said).</summary>
    public string Root { get; }

    /// <summary>
    /// A name for this exact tree when it is one berthd keeps between builds (<see cref="SyncedContexts"/>): the same
    /// identity means the same files, so what was computed from them (a COPY's checksum) holds. Null for a context
    /// received whole, which is never seen again.
    /// </summary>
    public string? Identity { get; private init; }

    /// <summary>A directory beside the context, on its file system, for a build's temporary files (the daemon empties it when it starts).</summary>
    public string ScratchDirectory => Path.GetDirectoryName(Root)!;

    /// <summary>The Dockerfile's path relative to the context, as found (the lower-case "dockerfile" when that is what exists).</summary>
    public string DockerfileName { get; private set; } = DefaultDockerfile;

    /// <summary>The Dockerfile's content.</summary>
    public byte[] Dockerfile { get; private set; } = [];

    /// <summary>The sha256 of a regular file's content (path relative to the context, clean), if it came with the context.</summary>
    public bool TryGetDigest(string path, out byte[] digest) => _digests.TryGet(path, out digest);

    /// <summary>
    /// Receives a context. <paramref name="dockerfile"/> is the <c>dockerfile</c> query parameter (null or empty:
    /// "Dockerfile"); <paramref name="scratch"/> the directory to extract under (created when missing).
    /// </summary>
    /// <exception cref="BuildContextException">The body is no context, or the Dockerfile is not in it (Docker's words).</exception>
    public static BuildContext Receive(Stream body, string? dockerfile, string scratch)
    {
        dockerfile = string.IsNullOrEmpty(dockerfile) ? DefaultDockerfile : dockerfile;
        Directory.CreateDirectory(scratch);
        string root = Path.Combine(Path.GetFullPath(scratch), "berth-build-context-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(root);
        var context = new BuildContext(root, new ContextDigests());
        try
        {
            using var tar = Open(body, out bool isTar);
            if (isTar)
                Extract(tar, context.Root, context._digests);
            else
                context.WriteBareDockerfile(tar, dockerfile);
            context.LocateDockerfile(dockerfile);
            context.RemoveIgnoredBuildFiles();
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A context over a tree that another owner keeps (a <see cref="SyncedContexts"/> slot): the Dockerfile located,
    /// ignored build files removed (their paths added to <paramref name="removed"/>); disposing calls
    /// <paramref name="release"/> instead of removing the tree.
    /// </summary>
    internal static BuildContext OfTree(string root, ContextDigests digests, string? dockerfile, Action release, List<string> removed, string identity)
    {
        var context = new BuildContext(root, digests, release) { Identity = identity };
        context.LocateDockerfile(string.IsNullOrEmpty(dockerfile) ? DefaultDockerfile : dockerfile);
        removed.AddRange(context.RemoveIgnoredBuildFiles());
        return context;
    }

    /// <summary>The decompressed body, and whether it is a tar (else it is taken as a Dockerfile).</summary>
    internal static Stream Open(Stream body, out bool isTar)
    {
        var head = new byte[TarFields.BlockSize];
        int n = ReadFully(body, head);
        var magic = head.AsSpan(0, n);
        Stream replayed = new PrefixedStream(head.AsMemory(0, n), body, leaveOpen: true);
        if (ArchiveStreams.Detect(magic) != ArchiveCompression.None)
        {
            isTar = true; // the CLI's IsArchive: anything compressed is an archive
            return ArchiveStreams.Decompress(replayed);
        }
        isTar = n == 0 || LooksLikeTar(magic);
        return replayed;
    }

    /// <summary>A first block that is a ustar/GNU/v7 header with a good checksum, or the end-of-archive zeros (an empty context).</summary>
    static bool LooksLikeTar(ReadOnlySpan<byte> block)
    {
        if (block.Length < TarFields.BlockSize)
            return false;
        if (!block.ContainsAnyExcept((byte)0))
            return true;
        if (!TarFields.TryParseNumber(block.Slice(TarFields.Checksum, 8), out long sum))
            return false;
        var (unsigned, signed) = TarFields.ComputeChecksum(block);
        return sum == unsigned || sum == signed;
    }

    static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int n = 0;
        while (n < buffer.Length)
        {
            int r = stream.Read(buffer[n..]);
            if (r == 0)
                break;
            n += r;
        }
        return n;
    }

    /// <summary>Extracts a context's tar into <paramref name="root"/> (over what is there), its files' digests into <paramref name="digests"/>.</summary>
    internal static void Extract(Stream tar, string root, ContextDigests digests)
    {
        // An ordinary archive (".wh." names are files), owners kept as dockerd's chrootarchive.Untar keeps them.
        // The files are digested one by one as they go by; a digest of the whole stream would be a second sha256 pass.
        var options = new ApplyOptions { Whiteouts = WhiteoutMode.None, Observer = digests, SkipDiffId = true };
        try
        {
            LayerApplier.Apply(tar, root, options);
        }
        catch (StoreException e)
        {
            throw new BuildContextException($"failed to read the build context: {e.Message}", e, e.Kind != StoreErrorKind.Internal);
        }
        catch (InvalidDataException e)
        {
            throw new BuildContextException($"failed to read the build context: {e.Message}", e);
        }
    }

    /// <summary>A body that is no archive is the Dockerfile itself (a context of one file).</summary>
    void WriteBareDockerfile(Stream body, string dockerfile)
    {
        string name = GoPath.Clean("/" + dockerfile)[1..];
        if (name.Length == 0 || name.Contains('/'))
            name = DefaultDockerfile;
        string path = Path.Combine(Root, name);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            body.CopyTo(file);
            file.Position = 0;
        }
        File.SetUnixFileMode(path, (UnixFileMode)0x1A4); // 0644, what the CLI's tar of a piped Dockerfile says
        var entry = new TarEntry { Type = TarEntryType.Regular };
        _digests.Data(File.ReadAllBytes(path));
        _digests.Applied(entry, Encoding.UTF8.GetBytes(name));
    }

    void LocateDockerfile(string dockerfile)
    {
        var content = ReadInRoot(dockerfile);
        if (content is null && dockerfile == DefaultDockerfile)
        {
            // dockerd's fallback for the default name only.
            content = ReadInRoot("dockerfile");
            if (content is not null)
                dockerfile = "dockerfile";
        }
        Dockerfile = content ?? throw new BuildContextException($"Cannot locate specified Dockerfile: {dockerfile}");
        DockerfileName = dockerfile;
    }

    /// <summary>A file of the context, its path resolved inside the context (symlinks cannot lead out); null when missing.</summary>
    byte[]? ReadInRoot(string path)
    {
        int root = OpenRoot();
        try
        {
            int fd = FilesAt.OpenInRoot(root, Encoding.UTF8.GetBytes(path), OpenFlags.ReadOnly, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks);
            if (fd is -Errno.ENOENT or -Errno.ENOTDIR)
                return null;
            if (fd < 0)
                throw new BuildContextException($"open {path}: {LinuxException.Describe(-fd)}", isUserError: false);
            try
            {
                if (FilesAt.Stat(fd, out var stat) == 0 && stat.IsDirectory)
                    return null;
                using var buffer = new MemoryStream();
                var chunk = new byte[64 * 1024];
                for (int n; (n = FilesAt.Read(fd, chunk)) != 0;)
                {
                    if (n < 0)
                        throw new BuildContextException($"read {path}: {LinuxException.Describe(-n)}", isUserError: false);
                    buffer.Write(chunk, 0, n);
                }
                return buffer.ToArray();
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
        finally
        {
            FilesAt.Close(root);
        }
    }

    /// <summary>dockerd's removeDockerfile: the .dockerignore and the Dockerfile leave the context when .dockerignore excludes them.</summary>
    List<string> RemoveIgnoredBuildFiles()
    {
        var removed = new List<string>();
        var ignore = ReadInRoot(IgnoreFile.Name);
        if (ignore is null)
            return removed;
        var matcher = new PatternMatcher(IgnoreFile.Parse(Encoding.UTF8.GetString(ignore)));
        foreach (string file in new[] { IgnoreFile.Name, DockerfileName })
        {
            string clean = GoPath.Clean("/" + file)[1..];
            if (clean.Length == 0 || !matcher.Matches(clean))
                continue;
            RemoveInRoot(Root, clean);
            _digests.Forget(clean);
            removed.Add(clean);
        }
        return removed;
    }

    /// <summary>Removes <paramref name="path"/> (relative, clean) and all it holds from the tree at <paramref name="rootPath"/>, never leaving it.</summary>
    internal static void RemoveInRoot(string rootPath, string path)
    {
        string parent = GoPath.Dir(path);
        int root = OpenRoot(rootPath);
        try
        {
            int dir = parent == "." ? root : FilesAt.OpenInRoot(root, Encoding.UTF8.GetBytes(parent), OpenFlags.ReadOnly | OpenFlags.Directory, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks);
            if (dir < 0)
                return;
            try
            {
                TreeRemover.RemoveAll(dir, Encoding.UTF8.GetBytes(GoPath.Base(path)));
            }
            finally
            {
                if (dir != root)
                    FilesAt.Close(dir);
            }
        }
        finally
        {
            FilesAt.Close(root);
        }
    }

    internal int OpenRoot() => OpenRoot(Root);

    static int OpenRoot(string root)
    {
        int fd = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(root), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new BuildContextException($"open build context {root}: {LinuxException.Describe(-fd)}", isUserError: false);
        return fd;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_release is not null)
        {
            _release();
            return;
        }
        _digests.Dispose();
        RemoveTree(Root);
    }

    /// <summary>Removes a context tree (as the directory <paramref name="root"/> names it) and all it holds.</summary>
    internal static void RemoveTree(string root)
    {
        int parent = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(Path.GetDirectoryName(root)!), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (parent < 0)
            return;
        try
        {
            TreeRemover.RemoveAll(parent, Encoding.UTF8.GetBytes(Path.GetFileName(root)));
        }
        finally
        {
            FilesAt.Close(parent);
        }
    }
}
