using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Execs;
using Berth.Images.Store;

namespace Berth.Engine;

/// <summary>
/// The engine: images, containers, execs and the event stream over one data root. The API and the
/// command line are skins over it.
/// </summary>
public sealed class BerthEngine : IAsyncDisposable
{
    BerthEngine(EngineOptions options, ImageStore images, ContainerStore store, EventBus events, Action<string> log)
    {
        Options = options;
        Images = images;
        Events = events;
        Networks = new Networks.NetworkService(options, events, log);
        Containers = new ContainerService(options, images, store, events, Networks, log);
        Execs = new ExecService(Containers);
        Containers.Health = new Health.HealthMonitor(Containers, Execs, log);
        Volumes = Containers.Volumes = Engine.Volumes.VolumeService.Open(Path.Combine(options.DataRoot, "volumes"), store, events, log);
        Registries = new Registry.RegistryService(options, images, events);
        Builds = new Build.BuildService(options, Containers, Registries, log);
        Started = DateTimeOffset.UtcNow;
    }

    public EngineOptions Options { get; }

    public ImageStore Images { get; }

    public EventBus Events { get; }

    public ContainerService Containers { get; }

    public Networks.NetworkService Networks { get; }

    public ExecService Execs { get; }

    public Volumes.VolumeService Volumes { get; }

    /// <summary>Pull, push and login against registries.</summary>
    public Registry.RegistryService Registries { get; }

    /// <summary>Dockerfile builds.</summary>
    public Build.BuildService Builds { get; }

    public DateTimeOffset Started { get; }

    /// <summary>Opens the data root (creating it), then reconnects to the containers still running.</summary>
    public static async Task<BerthEngine> OpenAsync(EngineOptions options, Action<string> log, CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.DataRoot);
        Directory.CreateDirectory(options.ExecRoot);
        Directory.CreateDirectory(options.BundlesDirectory);
        Directory.CreateDirectory(options.ShimsDirectory);
        var images = ImageStore.Open(options.ImagesDirectory, options.StorageDriver);
        try
        {
            var store = new ContainerStore(options.ContainersDirectory, log);
            var engine = new BerthEngine(options, images, store, new EventBus(), log);
            engine.Networks.Open(store.All().Where(c => c.Record.State.Running).Select(c => c.Record));
            await engine.Containers.RestoreAsync(ct);
            return engine;
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Without live restore, stops the running containers first (as dockerd does).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Options.LiveRestore)
            await Containers.StopAllAsync();
        Networks.WaitForRemovals();
        Volumes.Dispose(unmount: !Options.LiveRestore);
        Registries.Dispose();
        Images.Dispose();
    }
}
