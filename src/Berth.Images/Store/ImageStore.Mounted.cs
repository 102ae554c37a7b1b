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

public sealed partial class ImageStore
{
    /// <summary>
    /// An image's file system mounted read-only for one operation (a build's <c>COPY --from</c>): a view snapshot,
    /// removed with the mount when disposed. No image: an empty directory.
    /// </summary>
    public MountedSnapshot MountImage(Image? image)
    {
        string key = $"view-{Guid.NewGuid():N}";
        Snapshotter.View(key, image is null ? null : Unpack(image));
        try
        {
            var mounted = MountSnapshot(key);
            return new MountedSnapshot(mounted.Path, () => { mounted.Dispose(); Snapshotter.Remove(key); });
        }
        catch
        {
            Snapshotter.Remove(key);
            throw;
        }
    }
}

/// <summary>A snapshot mounted for a moment; disposing unmounts it and removes the mount point (and runs what else was asked).</summary>
public sealed class MountedSnapshot(string path, Action? disposed = null) : IDisposable
{
    bool _disposed;

    public string Path { get; } = path;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposed is not null)
        {
            disposed();
            return;
        }
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
