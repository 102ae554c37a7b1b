using System.Text;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Build.Executor;
using Berth.Distribution.Client;
using Berth.Engine.Containers;
using Berth.Images;
using Berth.Images.Snapshots;
using Berth.Images.Store;

namespace Berth.Engine.Build;

/// <summary>
/// <c>docker build</c> in the engine: the context received into a scratch directory, its Dockerfile parsed, the
/// build run by <see cref="Builder"/> with this engine as its worker, the cache kept under the data root.
/// </summary>
public sealed class BuildService
{
    readonly ContainerService _containers;
    readonly Registry.RegistryService _registries;
    readonly BuildCache _cache;
    readonly SyncedContexts _synced;
    readonly string _scratch;
    readonly Action<string> _log;

    /// <summary>The secrets berth build sends ahead of its builds (<see cref="BuildAsync"/> takes them by session).</summary>
    public BuildSecrets Secrets { get; } = new();

    public BuildService(EngineOptions options, ContainerService containers, Registry.RegistryService registries, Action<string> log)
    {
        _containers = containers;
        _log = log;
        _registries = registries;
        string root = Path.Combine(options.DataRoot, "builder");
        _cache = new BuildCache(Path.Combine(root, "cache"));
        _scratch = Path.Combine(root, "tmp");
        _synced = new SyncedContexts(Path.Combine(_scratch, "contexts"));
        RemoveDebris(log);
    }

    /// <summary>
    /// The first half of a build from <c>berth build</c>: the client's manifest of its context directory, answered
    /// with the files this daemon has no current copy of (the build then sends only those, with its session).
    /// </summary>
    public ContextOffer OfferContext(string key, ContextManifest manifest) => _synced.Offer(key, manifest);

    /// <summary>
    /// Builds. The body is the whole context (a tar or a bare Dockerfile); with <paramref name="session"/> (from
    /// <see cref="OfferContext"/>), only the update of the context kept for it. <paramref name="credentials"/> (by
    /// registry address, as the client's config.json names them) sign in the pulls of FROM images. The options'
    /// secrets are zeroed when the build is done.
    /// </summary>
    public async Task<Image> BuildAsync(Stream body, string dockerfile, BuildOptions options, IBuildOutput output, CancellationToken ct,
        string? session = null, IReadOnlyDictionary<string, RegistryCredentials>? credentials = null)
    {
        try
        {
            return await BuildWithSecretsAsync(body, dockerfile, options, output, ct, session, credentials);
        }
        finally
        {
            BuildSecrets.Clear(options.Secrets);
        }
    }

    async Task<Image> BuildWithSecretsAsync(Stream body, string dockerfile, BuildOptions options, IBuildOutput output, CancellationToken ct,
        string? session, IReadOnlyDictionary<string, RegistryCredentials>? credentials)
    {
        Directory.CreateDirectory(_scratch);
        BuildContext context;
        try
        {
            context = await Task.Run(() => session is null ? BuildContext.Receive(body, dockerfile, _scratch) : _synced.Receive(session, body, dockerfile), ct);
        }
        catch (BuildContextException e) when (e.IsUserError)
        {
            throw new BuildException(e.Message, inner: e);
        }
        try
        {
            var document = DockerfileParser.Parse(Encoding.UTF8.GetString(context.Dockerfile), context.DockerfileName);
            var worker = new BuildWorker(_containers, _registries, credentials ?? new Dictionary<string, RegistryCredentials>());
            return await new Builder(_containers.Images, worker, _cache).BuildAsync(document, context, options, output, ct);
        }
        finally
        {
            if (session is not null)
                context.Dispose(); // gives the kept context back at once, for the client's next build
            else
                DisposeInBackground(context);
        }
    }

    /// <summary>
    /// Removing thousands of files takes long on a disk: not while the client waits for its answer. What a crash
    /// leaves in the scratch directory goes at the next start.
    /// </summary>
    void DisposeInBackground(BuildContext context) => _ = Task.Run(() =>
    {
        try
        {
            context.Dispose();
        }
        catch (Exception e) when (e is IOException or Berth.Linux.LinuxException or BuildContextException)
        {
            _log($"builder: cannot remove the context {context.Root}: {e.Message}");
        }
    }, CancellationToken.None);

    /// <summary>
    /// <c>docker builder prune</c>: forgets the cache (the images it named stay until pruned as images) and the
    /// contexts kept for berth build; returns the bytes of those contexts' files. With <paramref name="until"/>
    /// (the <c>until</c> filter), only the cache entries written before it, and the cache mounts and kept contexts
    /// stay.
    /// </summary>
    public long PruneCache(DateTimeOffset? until = null)
    {
        if (until is { } before)
        {
            if (!Directory.Exists(_cache.Directory))
                return 0;
            foreach (var entry in new DirectoryInfo(_cache.Directory).EnumerateFiles())
            {
                if (entry.LastWriteTimeUtc < before.UtcDateTime)
                    entry.Delete();
            }
            return 0;
        }
        if (Directory.Exists(_cache.Directory))
            Directory.Delete(_cache.Directory, recursive: true);
        return _synced.Clear();
    }

    /// <summary>What a build that was killed left: its snapshots (COPY steps, COPY --from views) and its contexts.</summary>
    void RemoveDebris(Action<string> log)
    {
        var snapshotter = _containers.Images.Snapshotter;
        foreach (var snapshot in snapshotter.Walk().Where(s => s.Kind != SnapshotKind.Committed && (s.Key.StartsWith("build-", StringComparison.Ordinal) || s.Key.StartsWith("view-", StringComparison.Ordinal))))
        {
            try
            {
                snapshotter.Remove(snapshot.Key);
            }
            catch (Exception e) when (e is StoreException or IOException)
            {
                log($"builder: cannot remove snapshot {snapshot.Key} left by a build: {e.Message}");
            }
        }
        if (Directory.Exists(_scratch))
        {
            // A step's secrets tmpfs that a crash left mounted goes first: the delete must not stop at its mount point.
            string prefix = Path.GetFullPath(_scratch) + "/";
            foreach (var mount in Berth.Linux.MountInfo.Read().Where(m => m.MountPoint.StartsWith(prefix, StringComparison.Ordinal)
                && Path.GetFileName(m.MountPoint).StartsWith(SecretFiles.Prefix, StringComparison.Ordinal)).Reverse())
                Berth.Linux.Mounts.TryUnmount(mount.MountPoint, Berth.Linux.UnmountFlags.Detach);
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (IOException e)
            {
                log($"builder: cannot remove {_scratch}: {e.Message}");
            }
        }
    }
}
