using Berth.Engine.Containers;
using Berth.Engine.Events;

namespace Berth.Engine.Volumes;

public sealed partial class VolumeService
{
    readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Opens the store and reconciles it with the containers: a volume with a device of its own that a container uses
    /// is mounted again if it is not (after a reboot). Starts the mount and unmount events.
    /// </summary>
    public static VolumeService Open(string directory, ContainerStore containers, EventBus events, Action<string> log)
    {
        var service = new VolumeService(new VolumeStore(directory, log), containers, events, log);
        foreach (var volume in service.Store.All.Where(v => LocalDriver.Mounts(v.Options)))
        {
            if (service.References(volume.Name).Count == 0)
                continue;
            try
            {
                LocalDriver.Mount(volume.Options!, service.Store.DataPath(volume.Name));
            }
            catch (Berth.Linux.LinuxException e)
            {
                log($"volume {volume.Name}: mounting its device: {e.Message}");
            }
        }
        _ = service.ForwardEventsAsync(service._stopping.Token);
        return service;
    }

    /// <summary>
    /// Docker's volume <c>mount</c> and <c>unmount</c> events, from the containers' <c>start</c> and <c>die</c>: one per
    /// volume of the container.
    /// </summary>
    async Task ForwardEventsAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var e in events.Subscribe(null, ct))
            {
                if (e.Type != "container" || e.Action is not ("start" or "die"))
                    continue;
                var container = containers.TryGet(e.ActorId);
                foreach (var point in container?.Record.MountPoints ?? [])
                {
                    if (point.Type != "volume")
                        continue;
                    var attributes = e.Action == "start"
                        ? new Dictionary<string, string>
                        {
                            ["container"] = e.ActorId,
                            ["destination"] = point.Destination,
                            ["driver"] = point.Driver,
                            ["propagation"] = point.Propagation,
                            ["read/write"] = point.RW ? "true" : "false",
                        }
                        : new Dictionary<string, string> { ["container"] = e.ActorId, ["driver"] = point.Driver };
                    events.Publish("volume", e.Action == "start" ? "mount" : "unmount", point.Name, attributes);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The engine is stopping.
        }
    }

    /// <param name="unmount">Whether the containers are stopped (no live restore): then the volumes' own devices are unmounted too.</param>
    public void Dispose(bool unmount)
    {
        _stopping.Cancel();
        if (unmount)
            UnmountAll();
    }
}
