using Berth.Linux;
using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// <see cref="IContentStore"/> on the file system, laid out as containerd's local store:
///
/// <code>
/// content/blobs/&lt;alg&gt;/&lt;hex&gt;         committed blobs, read-only (0444), fsynced before they appear
/// content/ingest/&lt;sha256(ref)&gt;/       one directory per ingest: data, ref, expected, started
/// content/tmp/                        ingests being dropped (renamed here first, so that an ingest
///                                     disappears from ingest/ at once); garbage collection empties it
/// </code>
///
/// A writer holds an exclusive flock on its ingest's data file for as long as it is open, so a second
/// writer of the same reference, in this process or another, fails at once with
/// <see cref="StoreErrorKind.Conflict"/>; the kernel drops the lock when the process dies, and the
/// ingest can be resumed. The lock is .NET's own <see cref="FileShare.None"/> (flock LOCK_EX|LOCK_NB on
/// Unix); readers of blobs open them without any lock, so they never collide with a committing writer.
/// </summary>
public sealed partial class FileContentStore : IContentStore
{
    readonly string _blobs;
    readonly string _ingest;
    readonly string _tmp;

    /// <summary>Opens (creating) the store in <paramref name="directory"/>, usually &lt;data root&gt;/content.</summary>
    public FileContentStore(string directory)
    {
        RequireFileLocking();
        Root = Path.GetFullPath(directory);
        _blobs = Path.Combine(Root, "blobs");
        _ingest = Path.Combine(Root, "ingest");
        _tmp = Path.Combine(Root, "tmp");
        foreach (string dir in new[] { Root, _blobs, Path.Combine(_blobs, Digest.Sha256), Path.Combine(_blobs, Digest.Sha512), _ingest, _tmp })
            Directory.CreateDirectory(dir);
        // The canonical path (symlinks resolved) that /proc/self/fd shows for files in the store;
        // a writer compares the file it locked against it (IngestFiles.TryLock).
        using var dirHandle = Files.Open(Root, OpenFlags.ReadOnly | OpenFlags.Directory);
        RealRoot = Files.RealPath(dirHandle) ?? Root;
    }

    /// <summary>The store's directory (&lt;data root&gt;/content).</summary>
    public string Root { get; }

    internal string RealRoot { get; }

    /// <summary>Where a committed blob lives; the file may be absent.</summary>
    public string BlobPath(Digest digest)
    {
        if (digest.IsEmpty)
            throw StoreException.Invalid("empty digest");
        return Path.Combine(_blobs, digest.Algorithm, digest.Encoded);
    }

    public ContentInfo? Info(Digest digest)
    {
        var file = new FileInfo(BlobPath(digest));
        return file.Exists ? new ContentInfo(digest, file.Length, file.LastWriteTimeUtc) : null;
    }

    public Stream OpenRead(Digest digest)
    {
        string path = BlobPath(digest);
        // Files.Open, not File.OpenRead: .NET would take a shared flock, which fails for the instant a
        // committing writer still holds its exclusive lock on the freshly renamed file.
        int error = Files.TryOpen(path, OpenFlags.ReadOnly, out var handle);
        if (error == -Errno.ENOENT)
            throw StoreException.NotFound($"content {digest}: not found");
        if (error < 0)
            throw new StoreException(StoreErrorKind.Internal, $"open {path}: {LinuxException.Describe(-error)}");
        return new FileStream(handle!, FileAccess.Read, bufferSize: 64 * 1024);
    }

    /// <summary>
    /// As <see cref="OpenRead"/>, but asynchronous and unbuffered, so that a server can hand it to sendfile (.NET's
    /// SendPacketsElement takes asynchronous file streams only, and those .NET opens itself, with a shared flock); in the
    /// instant a commit of the same blob still holds its exclusive lock, an ordinary stream as <see cref="OpenRead"/> gives.
    /// </summary>
    public Stream OpenReadForSending(Digest digest)
    {
        try
        {
            var handle = File.OpenHandle(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            return new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StoreException.NotFound($"content {digest}: not found");
        }
        catch (IOException)
        {
            return OpenRead(digest);
        }
    }

    public bool Delete(Digest digest)
    {
        string path = BlobPath(digest);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    public IEnumerable<ContentInfo> List()
    {
        foreach (string algorithm in new[] { Digest.Sha256, Digest.Sha512 })
        {
            foreach (var file in new DirectoryInfo(Path.Combine(_blobs, algorithm)).EnumerateFiles())
            {
                // Anything that is not named by a digest is not a blob (nothing else is written here).
                if (Digest.TryParse($"{algorithm}:{file.Name}", out var digest))
                    yield return new ContentInfo(digest, file.Length, file.LastWriteTimeUtc);
            }
        }
    }

    /// <summary>Re-reads a blob and checks it against its name; <see cref="StoreErrorKind.NotFound"/> if absent.</summary>
    public bool Verify(Digest digest)
    {
        using var stream = OpenRead(digest);
        using var hash = digest.CreateHash();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(FileContentWriter.BufferSize);
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
                hash.AppendData(buffer.AsSpan(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return Digest.FromHash(digest.Algorithm, hash) == digest;
    }

    /// <summary>
    /// .NET lets an environment variable turn its flock-based FileShare off; then two writers of one
    /// ingest would not exclude each other, so the store refuses to run rather than corrupt an ingest.
    /// </summary>
    static void RequireFileLocking()
    {
        string? env = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        bool disabled = (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out bool on) && on)
            || env is "1" || string.Equals(env, "true", StringComparison.OrdinalIgnoreCase);
        if (disabled)
            throw new StoreException(StoreErrorKind.Internal, "the content store needs file locking: unset DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
    }
}
