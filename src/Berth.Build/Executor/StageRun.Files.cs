using Berth.Build.Copy;
using Berth.Images;
using Berth.Linux;
using Berth.Images.Store;

namespace Berth.Build.Executor;

internal sealed partial class StageRun
{
    /// <summary>
    /// A step that changes files without running anything (COPY, ADD, WORKDIR): a writable snapshot over the
    /// current image, mounted, changed by <paramref name="change"/>, committed, and removed whatever happened.
    /// </summary>
    async Task FileStepAsync(string? key, string createdBy, Action<string> change, CancellationToken ct)
    {
        if (key is not null && Cached(key, createdBy) is { } cached)
        {
            await StepDoneAsync(cached, true, ct);
            return;
        }
        string snapshot = $"build-{Guid.NewGuid():N}";
        Image image;
        try
        {
            builder.Images.PrepareContainer(_image, snapshot);
            using (var mounted = builder.Images.MountSnapshot(snapshot))
                change(mounted.Path);
            image = builder.Images.Commit(snapshot, _image, new CommitOptions
            {
                Config = CurrentConfig,
                Author = _imageConfig.Author,
                CreatedBy = createdBy,
                Created = Now,
                LayerTime = _epoch,
            });
        }
        finally
        {
            TryRemoveSnapshot(snapshot);
        }
        if (key is not null)
            builder.Cache.Store(key, image.Id.ToString());
        await StepDoneAsync(image, false, ct);
    }

    void TryRemoveSnapshot(string snapshot)
    {
        try
        {
            builder.Images.Snapshotter.Remove(snapshot);
        }
        catch (StoreException)
        {
            // Never prepared (the failure came before): nothing to remove.
        }
    }

    /// <summary>WORKDIR: the directory made in the image (a layer only if it was missing), and the config's working directory.</summary>
    Task MakeDirectoryStepAsync(string path, string comment, CancellationToken ct)
    {
        string createdBy = NopCreatedBy(comment);
        string key = BuildCache.Key("workdir", ParentId, createdBy, path);
        return FileStepAsync(key, createdBy, root =>
        {
            string relative = path.Trim('/');
            if (relative.Length == 0)
                return;
            int rootFd = RootFiles.OpenDirectory(root);
            try
            {
                FilesAt.Close(RootFiles.MakeDirectories(rootFd, relative, (0, 0), out _));
            }
            finally
            {
                FilesAt.Close(rootFd);
            }
        }, ct);
    }
}
