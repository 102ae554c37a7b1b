using System.Globalization;
using Berth.Linux;

namespace Berth.Build.Executor;

/// <summary>
/// A RUN step's secrets as files on a tmpfs of their own (as buildkit's secret mounts): the secret never touches a
/// disk, and the container gets each file by a read-only bind, so nothing of it is in the container's root, its
/// layer or the cache. Disposing unmounts the tmpfs, which takes the files with it.
/// </summary>
public sealed class SecretFiles : IDisposable
{
    /// <summary>The scratch directories' prefix, by which a daemon's start finds a tmpfs a crash left mounted.</summary>
    public const string Prefix = "secrets-";

    readonly string _directory;
    int _count;
    bool _mounted;

    SecretFiles(string directory) => _directory = directory;

    /// <summary>A tmpfs (mode 0700, nosuid, nodev, noexec) at a new directory in <paramref name="scratch"/>, sized for <paramref name="bytes"/>.</summary>
    public static SecretFiles Mount(string scratch, long bytes)
    {
        string directory = Path.Combine(scratch, Prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var files = new SecretFiles(directory);
        try
        {
            // A page per file beyond the bytes themselves, and a few more for the directory.
            long size = bytes + (64 * 4096);
            Linux.Mounts.Mount("tmpfs", directory, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec,
                "mode=0700,size=" + size.ToString(CultureInfo.InvariantCulture));
            files._mounted = true;
        }
        catch (LinuxException e)
        {
            files.Dispose();
            throw new BuildException($"cannot mount a tmpfs for the step's secrets: {e.Message}", inner: e);
        }
        return files;
    }

    /// <summary>Writes one secret as a new file with its owner and mode; returns its host path (the bind's source).</summary>
    public string Add(ReadOnlySpan<byte> content, uint mode, uint uid, uint gid)
    {
        string path = Path.Combine(_directory, (_count++).ToString(CultureInfo.InvariantCulture));
        using (var file = Files.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, 0x180 /* 0600 */))
        {
            Files.WriteAll(file, content);
            Files.Chown(file, uid, gid);
            // After the chown, which clears the set-id bits.
            if (FilesAt.Chmod((int)file.DangerousGetHandle(), mode & 0xFFF /* 07777 */) is var errno and not 0)
                throw new LinuxException(errno, $"chmod {path}");
        }
        return path;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            // Detached: a runtime that still has the bind open cannot keep the tmpfs (or the secret) from going.
            Linux.Mounts.TryUnmount(_directory, UnmountFlags.Detach);
            _mounted = false;
        }
        try
        {
            Directory.Delete(_directory);
        }
        catch (IOException)
        {
            // Still a mount point: the next start of the daemon removes it (BuildService's debris sweep).
        }
    }
}
