using Berth.Engine.Containers;
using Berth.Engine.Events;

namespace Berth.Engine.Volumes;

/// <summary>
/// Volumes' lives: create (by the API or for a container), list, inspect, remove, prune, and which containers use
/// each (a container's record names its volumes, so references are read from the containers, never counted
/// separately). One lock orders every change against the checks of use, so a volume cannot go while a container
/// is being given it.
/// </summary>
public sealed partial class VolumeService(VolumeStore store, ContainerStore containers, EventBus events, Action<string> log)
{
    readonly Lock _lock = new();

    public VolumeStore Store { get; } = store;

    /// <summary><c>POST /volumes/create</c>: an existing volume of the name is returned as it is (Docker's idempotent create).</summary>
    public VolumeRecord Create(string? name, string? driver, Dictionary<string, string>? options, Dictionary<string, string>? labels)
    {
        if (!string.IsNullOrEmpty(driver) && driver != LocalDriver.Name)
            throw EngineException.NotFound($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        lock (_lock)
            return GetOrCreate(string.IsNullOrEmpty(name) ? VolumeNames.NewAnonymous() : name, options, labels).Volume;
    }

    (VolumeRecord Volume, bool Created) GetOrCreate(string name, Dictionary<string, string>? options, Dictionary<string, string>? labels)
    {
        VolumeNames.Validate(name);
        if (Store.TryGet(name) is { } existing)
            return (existing, false);
        if (LocalDriver.Check(options) is { } bad)
            throw EngineException.Invalid($"create {name}: {bad}");
        var record = new VolumeRecord
        {
            Name = name,
            CreatedAt = DateTimeOffset.Now,
            Labels = labels is null ? null : new Dictionary<string, string>(labels),
            Options = options is null ? null : new Dictionary<string, string>(options),
        };
        Store.Add(record);
        events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = record.Driver });
        return (record, true);
    }

    public VolumeRecord Get(string name)
    {
        lock (_lock)
            return Store.TryGet(name) ?? throw EngineException.NotFound($"get {name}: no such volume");
    }

    public IReadOnlyList<VolumeRecord> All()
    {
        lock (_lock)
            return [.. Store.All.OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>The containers (running or not) whose mounts include the volume.</summary>
    public List<string> References(string name)
        => [.. containers.All().Where(c => c.Record.MountPoints?.Any(m => m.Type == "volume" && m.Name == name) == true).Select(c => c.Id)];

    /// <summary><c>docker volume rm</c>: refused while any container uses it; a missing one is fine with force.</summary>
    public void Remove(string name, bool force)
    {
        lock (_lock)
        {
            if (Store.TryGet(name) is null)
            {
                if (force)
                    return;
                throw EngineException.NotFound($"get {name}: no such volume");
            }
            var users = References(name);
            if (users.Count > 0)
                throw EngineException.Conflict($"remove {name}: volume is in use - [{string.Join(' ', users)}]");
            Destroy(name);
        }
    }

    /// <summary>Removes an unused volume; the caller holds the lock and has checked its use.</summary>
    void Destroy(string name)
    {
        var record = Store.TryGet(name);
        if (record is null)
            return;
        LocalDriver.Unmount(Store.DataPath(name));
        Store.Remove(name, log);
        events.Publish("volume", "destroy", name, new Dictionary<string, string> { ["driver"] = record.Driver });
    }

    /// <summary>
    /// The volumes of a removed container that it made without a name (Docker's <c>rm -v</c> and <c>--rm</c>),
    /// each unless another container uses it still. Failures are logged: the container is gone already.
    /// </summary>
    public void RemoveAnonymous(ContainerRecord container)
    {
        foreach (var point in container.MountPoints ?? [])
        {
            if (point.Type != "volume" || point.Named)
                continue;
            try
            {
                lock (_lock)
                {
                    if (References(point.Name).Count == 0)
                        Destroy(point.Name);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException)
            {
                log($"container {container.Id}: removing its volume {point.Name}: {e.Message}");
            }
        }
    }

    /// <summary>Unmounts the volumes that have a device of their own (when the engine stops its containers).</summary>
    public void UnmountAll()
    {
        lock (_lock)
        {
            foreach (var volume in Store.All.Where(v => LocalDriver.Mounts(v.Options)))
                LocalDriver.Unmount(Store.DataPath(volume.Name));
        }
    }
}
