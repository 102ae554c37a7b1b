using Berth.Engine.Archive;
using Berth.Engine.Model;
using Berth.Images;
using Berth.Images.Copy;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// HEAD /containers/{id}/archive: what is at <paramref name="path"/> in the container, running or not.
    /// <paramref name="name"/> is the container as the client named it, for Docker's "Could not find the file" error.
    /// </summary>
    public async Task<ContainerPathStat> StatPathAsync(Container container, string name, string path, CancellationToken ct = default)
    {
        using var hold = await HoldAsync(container, ct);
        using var root = OpenRoot(container);
        return OnPath(name, path, () => PathStats.Stat(root, CopyPaths.InContainer(path)));
    }

    /// <summary>
    /// GET /containers/{id}/archive (<c>docker cp CONTAINER:SRC ...</c>): the path's stat and its tar, to be written
    /// while the returned archive holds the container (as Docker holds it until the archive is read), then disposed.
    /// </summary>
    public async Task<ContainerArchive> ArchivePathAsync(Container container, string name, string path, CancellationToken ct = default)
    {
        var hold = await HoldAsync(container, ct);
        ContainerRoot? root = null;
        try
        {
            root = OpenRoot(container);
            string absPath = CopyPaths.InContainer(path);
            var stat = OnPath(name, path, () => PathStats.Stat(root, absPath));
            var archive = new ContainerArchive(root, absPath, stat, hold);
            Publish(container, "archive-path");
            return archive;
        }
        catch
        {
            root?.Dispose();
            hold.Dispose();
            throw;
        }
    }

    /// <summary>
    /// PUT /containers/{id}/archive (<c>docker cp ... CONTAINER:DEST</c>): extracts the tar in <paramref name="content"/>
    /// (plain, gzip, bzip2, xz or zstd) into the directory <paramref name="path"/>, symlinks on the way resolved in the container.
    /// Docker's refusals come before anything is written: a path that is missing (404) or no directory, a read-only
    /// root or volume (400). <paramref name="copyUidGid"/> (<c>docker cp -a</c>) gives everything the container user's
    /// ids when it has a user; otherwise the archive's owners are kept.
    /// </summary>
    public async Task ExtractToDirAsync(Container container, string name, string path, bool copyUidGid, bool noOverwriteDirNonDir, Stream content,
        CancellationToken ct = default)
    {
        using (await HoldAsync(container, ct))
        {
            using var root = OpenRoot(container);
            await Task.Run(() => OnPath(name, path, () => Extract(container, root, path, copyUidGid, noOverwriteDirNonDir, content)));
        }
        Publish(container, "extract-to-dir");
    }

    static void Extract(Container container, ContainerRoot root, string path, bool copyUidGid, bool noOverwriteDirNonDir, Stream content)
    {
        // Docker's EvalSymlinks: the last element too, so that a symlink to a directory is a place to extract to.
        string target = ScopedSymlinks.Evaluate(root, GoPath.Join("/", path));
        if (!GoFileMode.IsDir(PathStats.Stat(root, target).Mode))
            throw EngineException.Invalid("extraction point is not a directory");
        WritablePaths.Check(container.Record.HostConfig, target);
        (uint, uint)? owner = null;
        if (copyUidGid && !string.IsNullOrEmpty(container.Record.Config.User))
        {
            var user = ContainerUsers.Resolve(root.ReadLines, container.Record.Config.User, null);
            owner = (user.Uid, user.Gid);
        }
        int fd = root.Open(target, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
        if (fd < 0)
            throw new LinuxException(-fd, $"open {target}");
        try
        {
            var options = new ApplyOptions { Whiteouts = WhiteoutMode.None, NoOverwriteDirNonDir = noOverwriteDirNonDir, SymlinksStayInside = true, Owner = owner };
            using var tar = ArchiveStreams.Decompress(content, leaveOpen: true);
            LayerApplier.Apply(tar, fd, target, options);
        }
        catch (StoreException e)
        {
            throw EngineException.System(e.Message, e);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>
    /// The container's "/" for a copy: the running process's root, or the stopped container's snapshot mounted for
    /// the moment with its binds. The caller holds the container's lock, so no start mounts the snapshot meanwhile.
    /// </summary>
    ContainerRoot OpenRoot(Container container)
    {
        var state = container.Record.State;
        try
        {
            if (state.Status is ContainerStatus.Running or ContainerStatus.Paused && state.Pid > 0)
                return ContainerRoot.OfProcess(state.Pid);
            return ContainerRoot.OfSnapshot(Images.MountSnapshot(container.Id), ContainerBinds.Of(container.Record));
        }
        catch (Exception e) when (e is LinuxException or StoreException)
        {
            throw EngineException.System($"cannot open the file system of container {container.Id}: {e.Message}", e);
        }
    }

    static void OnPath(string name, string path, Action work) => OnPath(name, path, () =>
    {
        work();
        return 0;
    });

    /// <summary>Docker's errors for work on a path: a missing one is "Could not find the file", other faults the system's.</summary>
    static T OnPath<T>(string name, string path, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT)
        {
            throw EngineException.NotFound($"Could not find the file {path} in container {name}");
        }
        catch (LinuxException e)
        {
            throw EngineException.System(e.Message, e);
        }
    }

    /// <summary>Takes the container's lock (one change at a time, as Docker's container lock) until disposed.</summary>
    static async Task<IDisposable> HoldAsync(Container container, CancellationToken ct)
    {
        await container.Lock.WaitAsync(ct);
        return new LockHold(container.Lock);
    }

    sealed class LockHold(SemaphoreSlim semaphore) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
