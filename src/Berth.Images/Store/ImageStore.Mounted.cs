using Berth.Images.Snapshots;

namespace Berth.Images.Store;

public sealed partial class ImageStore
{
    /// <summary>
    /// Mounts an active snapshot (a stopped container's root), writable, in a scratch directory for one operation
    /// (<c>docker cp</c> to or from a stopped container). The caller keeps the snapshot from being mounted elsewhere
    /// meanwhile (the container's lock). A crash leaves the directory to <see cref="RemoveStaleTemp"/>.
    /// </summary>
    public MountedSnapshot MountSnapshot(string snapshotKey)
    {
        string mountpoint = TempDirectory("mount");
        try
        {
            SnapshotMounts.Mount(Snapshotter.Mounts(snapshotKey), mountpoint);
        }
        catch
        {
            Directory.Delete(mountpoint);
            throw;
        }
        return new MountedSnapshot(mountpoint);
    }
}

/// <summary>A snapshot mounted for a moment; disposing unmounts it and removes the mount point.</summary>
public sealed class MountedSnapshot(string path) : IDisposable
{
    bool _disposed;

    public string Path { get; } = path;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        SnapshotMounts.Unmount(Path);
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // Still busy (detached, not yet gone): the next start's stale-scratch sweep removes it.
        }
    }
}
