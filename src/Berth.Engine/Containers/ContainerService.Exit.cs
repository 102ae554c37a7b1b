using Berth.Engine.Shims;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Waits for the run to end, records it, then applies auto-remove or the restart policy.</summary>
    async Task MonitorAsync(Container container, ShimClient shim)
    {
        ShimExit exit;
        Task deleted;
        try
        {
            (exit, deleted) = await shim.WaitExitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Log($"container {container.Id}: lost its shim: {e.Message}");
            exit = new ShimExit(137, DateTimeOffset.UtcNow, false);
            deleted = Task.CompletedTask;
        }
        bool restart;
        await container.Lock.WaitAsync();
        try
        {
            container.RuntimeDeleted = RemoveShimStateAfterAsync(deleted, ShimStateOf(container));
            restart = RecordExit(container, exit);
        }
        finally
        {
            container.Lock.Release();
        }
        container.SignalExit(exit.ExitCode);
        if (container.Record.HostConfig.AutoRemove)
        {
            try
            {
                await RemoveAsync(container, force: true, removeVolumes: true);
            }
            catch (Exception e)
            {
                Log($"container {container.Id}: auto-remove failed: {e.Message}");
                SaveIfKept(container);
            }
            return;
        }
        if (restart)
            _ = RestartWithBackoffAsync(container);
    }

    /// <summary>The recorded exit of an auto-remove container whose removal failed before its record went.</summary>
    void SaveIfKept(Container container)
    {
        if (Store.TryGet(container.Id) is null)
            return;
        try
        {
            Store.Save(container);
        }
        catch (IOException e)
        {
            Log($"container {container.Id}: saving its exit: {e.Message}");
        }
    }

    /// <summary>The shim's directory (the runtime's delete logs there) goes once that delete is done.</summary>
    async Task RemoveShimStateAfterAsync(Task deleted, string shimState)
    {
        await deleted;
        TryDeleteDirectory(shimState);
    }

    /// <summary>The exit as state and events; true when the restart policy wants the container again.</summary>
    bool RecordExit(Container container, ShimExit exit)
    {
        var state = container.Record.State;
        var started = state.StartedAt;
        state.Status = ContainerStatus.Exited;
        state.Pid = 0;
        state.ExitCode = exit.ExitCode;
        state.OomKilled = exit.OomKilled;
        state.FinishedAt = exit.FinishedAt;
        container.Shim = null;
        Health?.Stop(container);
        RemoveBundle(BundleOf(container));
        container.NetworkReleased = Networks.Detach(container.Record);
        if (exit.OomKilled)
            Publish(container, "oom");
        Publish(container, "die", ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        bool restart = WantsRestart(container);
        if (restart)
        {
            state.Status = ContainerStatus.Restarting;
            // Docker's back-off: doubles from 100 ms while runs are short, resets after 10 s of running.
            bool ranLong = started is not null && exit.FinishedAt - started.Value > TimeSpan.FromSeconds(10);
            _backoff[container.Id] = ranLong || !_backoff.TryGetValue(container.Id, out var previous) ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }
        // An auto-remove container's record is deleted right after, so its exit is not written: a crash before the
        // removal leaves it "running" on disk, and the next daemon's restore finds its shim gone and ends it the same
        // way (exit, then removal). A removal that fails writes the exit then (MonitorAsync).
        if (!container.Record.HostConfig.AutoRemove)
            Store.Save(container);
        return restart;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan> _backoff = new();

    bool WantsRestart(Container container)
    {
        var record = container.Record;
        var policy = record.HostConfig.RestartPolicy;
        if (policy is null || record.HostConfig.AutoRemove)
            return false;
        return policy.Name switch
        {
            "always" => !record.State.ManuallyStopped,
            "unless-stopped" => !record.State.ManuallyStopped,
            "on-failure" => !record.State.ManuallyStopped && record.State.ExitCode != 0
                && (policy.MaximumRetryCount == 0 || record.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
    }

    async Task RestartWithBackoffAsync(Container container)
    {
        await Task.Delay(_backoff.GetValueOrDefault(container.Id, TimeSpan.FromMilliseconds(100)));
        await container.Lock.WaitAsync();
        try
        {
            if (container.Record.State.Status != ContainerStatus.Restarting || container.Record.State.ManuallyStopped)
                return;
            container.Record.RestartCount++;
            await StartLockedAsync(container, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log($"container {container.Id}: restart failed: {e.Message}");
            container.Record.State.Status = ContainerStatus.Exited;
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }
}
