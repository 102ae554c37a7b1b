using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// At daemon start: reconnects to the shim of every container that was running (live restore);
    /// a container whose shim is gone exited meanwhile (its exit.json says how) or with the machine
    /// (a reboot: then always and unless-stopped containers start again, as Docker does). A start
    /// that the previous daemon did not see through (killed between the shim's start-up and the
    /// recorded start) is undone: its shim is ended, and the container is not running.
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
            string shimState = ShimStateOf(container);
            if (!state.Running)
            {
                await UndoUnrecordedStartAsync(container, shimState);
                continue;
            }
            var shim = ShimClient.TryConnect(shimState);
            if (shim is { Started: true })
            {
                container.Shim = shim;
                container.Monitor = MonitorAsync(container, shim);
                // Docker starts a restored container's checks afresh; a paused one's wait for unpause.
                if (state.Status == ContainerStatus.Running)
                    Health?.Reset(container);
                Log($"container {container.Id}: restored (pid {state.Pid})");
                continue;
            }
            ShimExit exit;
            if (shim is not null)
            {
                // A restart whose shim never got its start: the container has not run since its last exit.
                await EndShimAsync(container, shim);
                exit = new ShimExit(state.ExitCode, state.FinishedAt ?? DateTimeOffset.UtcNow, state.OomKilled);
            }
            else
                exit = ShimClient.ReadExit(shimState) ?? new ShimExit(255, DateTimeOffset.UtcNow, false);
            bool restart = RecordExit(container, exit);
            TryDeleteDirectory(shimState);
            container.SignalExit(exit.ExitCode);
            if (container.Record.HostConfig.AutoRemove)
                await RemoveAsync(container, force: true, removeVolumes: true, ct);
            else if (restart)
                _ = RestartWithBackoffAsync(container);
        }
    }

    /// <summary>
    /// A container recorded as not running whose shim still answers: the daemon that spawned the
    /// shim was killed before it recorded the start (a shim waiting for its start, or one whose
    /// start succeeded unseen). Nobody was told that it runs, so it does not: the shim is ended, the
    /// mount and bundle removed, and the start recorded as failed, as <see cref="StartLockedAsync"/>
    /// does when a start fails.
    /// </summary>
    async Task UndoUnrecordedStartAsync(Container container, string shimState)
    {
        if (!File.Exists(ShimProtocol.SocketPath(shimState)) || ShimClient.TryConnect(shimState) is not { } shim)
            return;
        await EndShimAsync(container, shim);
        RemoveBundle(BundleOf(container));
        TryDeleteDirectory(shimState);
        var state = container.Record.State;
        state.Error = "the daemon stopped before the container's start was complete";
        state.ExitCode = 128;
        state.Pid = 0;
        Store.Save(container);
        Log($"container {container.Id}: {state.Error}; its shim was ended");
    }

    /// <summary>Ends a shim's container (started or not) and waits until the shim is done with it.</summary>
    async Task EndShimAsync(Container container, ShimClient shim)
    {
        try
        {
            await shim.KillAsync(Signals.SIGKILL, all: true, CancellationToken.None);
            await shim.WaitAsync(CancellationToken.None);
        }
        catch (ShimException e)
        {
            // Gone meanwhile, or its container never ran (a wait then has no exit to tell).
            Log($"container {container.Id}: ending its shim: {e.Message}");
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
