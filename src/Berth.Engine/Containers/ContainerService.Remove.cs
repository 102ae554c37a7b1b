namespace Berth.Engine.Containers;

/// <summary>What <c>wait</c> waits for (Docker's condition parameter).</summary>
public enum WaitCondition
{
    NotRunning,
    NextExit,
    Removed,
}

public sealed partial class ContainerService
{
    /// <summary>
    /// <c>docker rm</c>: a running container only with force (killed first); then its snapshot,
    /// directory and record go, and waiters on "removed" are released.
    /// </summary>
    public async Task RemoveAsync(Container container, bool force, bool removeVolumes, CancellationToken ct = default)
    {
        var state = container.Record.State;
        if (state.Running && !force)
        {
            string what = state.Status == ContainerStatus.Paused ? "paused" : "running";
            throw EngineException.Conflict($"cannot remove container \"{container.Record.Name}\": container is {what}: stop the container before removing or force remove");
        }
        if (state.Running && container.Shim is { } shim)
        {
            state.ManuallyStopped = true;
            var exited = container.NextExit;
            if (state.Status == ContainerStatus.Paused)
                await UnpauseAsync(container, ct);
            await SendSignalAsync(shim, Berth.Linux.Signals.SIGKILL);
            await exited.WaitAsync(ct);
            if (container.Monitor is { } monitor && !monitor.IsCompleted && Task.CurrentId != monitor.Id)
                await Task.WhenAny(monitor, Task.Delay(TimeSpan.FromSeconds(10), ct));
        }
        await container.Lock.WaitAsync(ct);
        try
        {
            if (state.Status == ContainerStatus.Removing && Store.TryGet(container.Id) is null)
                return;
            state.Status = ContainerStatus.Removing;
            RemoveBundle(BundleOf(container));
            try
            {
                Images.Snapshotter.Remove(container.Id);
            }
            catch (Exception e) when (e is Berth.Images.StoreException or IOException)
            {
                Log($"container {container.Id}: removing its snapshot: {e.Message}");
            }
            Store.Remove(container);
            ReleaseVolumes(container, removeVolumes);
            await container.RuntimeDeleted;
            TryDeleteDirectory(ShimStateOf(container));
        }
        finally
        {
            container.Lock.Release();
        }
        Publish(container, "destroy");
        container.SignalRemoved();
    }

    /// <summary><c>docker wait</c>: the exit code once the condition holds.</summary>
    public async Task<int> WaitAsync(Container container, WaitCondition condition, CancellationToken ct)
    {
        switch (condition)
        {
            case WaitCondition.NextExit:
                return await container.NextExit.WaitAsync(ct);
            case WaitCondition.Removed:
                await container.Removed.WaitAsync(ct);
                return container.Record.State.ExitCode;
            default:
                var next = container.NextExit;
                if (!container.Record.State.Running || container.Record.State.Status == ContainerStatus.Restarting)
                    return container.Record.State.ExitCode;
                return await next.WaitAsync(ct);
        }
    }
}
