using Berth.Engine.Shims;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// At daemon start: reconnects to the shim of every container that was running (live restore);
    /// a container whose shim is gone exited meanwhile (its exit.json says how) or with the machine
    /// (a reboot: then always and unless-stopped containers start again, as Docker does).
    /// </summary>
    public async Task RestoreAsync(CancellationToken ct = default)
    {
        foreach (var container in Store.All())
        {
            var state = container.Record.State;
            if (state.Status == ContainerStatus.Removing)
            {
                state.Status = ContainerStatus.Dead;
                Store.Save(container);
                continue;
            }
            if (!state.Running)
                continue;
            string shimState = ShimStateOf(container);
            if (ShimClient.TryConnect(shimState) is { } shim)
            {
                container.Shim = shim;
                container.Monitor = MonitorAsync(container, shim);
                // Docker starts a restored container's checks afresh; a paused one's wait for unpause.
                if (state.Status == ContainerStatus.Running)
                    Health?.Reset(container);
                Log($"container {container.Id}: restored (pid {state.Pid})");
                continue;
            }
            var exit = ShimClient.ReadExit(shimState) ?? new ShimExit(255, DateTimeOffset.UtcNow, false);
            bool restart = RecordExit(container, exit);
            container.SignalExit(exit.ExitCode);
            if (container.Record.HostConfig.AutoRemove)
                await RemoveAsync(container, force: true, removeVolumes: true, ct);
            else if (restart)
                _ = RestartWithBackoffAsync(container);
        }
    }

    /// <summary>At daemon stop without live restore: every running container is stopped, as dockerd does.</summary>
    public async Task StopAllAsync()
    {
        var running = Store.All().Where(c => c.Record.State.Running).ToList();
        await Task.WhenAll(running.Select(async c =>
        {
            try
            {
                await StopAsync(c, null, null);
                c.Record.State.ManuallyStopped = false;
                Store.Save(c);
            }
            catch (Exception e)
            {
                Log($"container {c.Id}: stop at shutdown: {e.Message}");
            }
        }));
    }
}
