using System.Collections.Concurrent;
using Berth.Engine.Containers;
using Berth.Engine.Execs;
using Berth.Engine.Model;

namespace Berth.Engine.Health;

/// <summary>
/// Runs the health checks of running containers (moby daemon/health.go): one probing loop per
/// container while it runs and is not paused, each result recorded in its state under its lock,
/// and a <c>health_status: ...</c> event when the status changes. The container service calls
/// <see cref="Reset"/>, <see cref="Update"/> and <see cref="Stop"/> from its state changes, holding
/// the container's lock; nothing here waits for a probe while holding it.
/// </summary>
public sealed class HealthMonitor(ContainerService containers, ExecService execs, Action<string> log)
{
    readonly HealthProbe _probe = new(execs);
    readonly ConcurrentDictionary<string, CancellationTokenSource> _loops = new(StringComparer.Ordinal);

    /// <summary>
    /// At a start, restart or restore (Docker's initHealthMonitor): a container with a check becomes
    /// "starting" with no failures, and probing begins.
    /// </summary>
    public void Reset(Container container)
    {
        if (HealthSettings.Of(container.Record.Config) is null)
            return;
        Stop(container);
        var state = container.Record.State;
        state.Health = HealthRules.Starting(state.Health);
        Update(container);
    }

    /// <summary>Probing runs while the container runs unpaused and has a check (Docker's updateHealthMonitor); a pause stops it.</summary>
    public void Update(Container container)
    {
        var state = container.Record.State;
        if (state.Health is null)
            return;
        var settings = HealthSettings.Of(container.Record.Config);
        if (settings is null || state.Status != ContainerStatus.Running)
        {
            Stop(container);
            return;
        }
        var stop = new CancellationTokenSource();
        if (_loops.TryAdd(container.Id, stop))
            _ = ProbeLoopAsync(container, settings, state.StartedAt ?? DateTimeOffset.UtcNow, stop.Token);
    }

    /// <summary>Ends the container's probing, if any; it then counts as unhealthy (as in Docker) until probes run again.</summary>
    public void Stop(Container container)
    {
        if (!_loops.TryRemove(container.Id, out var stop))
            return;
        // Not disposed: the loop may still be looking at its token.
        stop.Cancel();
        if (container.Record.State.Health is { } health)
            container.Record.State.Health = HealthRules.Stopped(health);
    }

    async Task ProbeLoopAsync(Container container, HealthSettings settings, DateTimeOffset startedAt, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                string status = container.Record.State.Health?.Status ?? HealthStatus.Starting;
                await Task.Delay(settings.NextInterval(DateTimeOffset.UtcNow - startedAt, status), ct);
                HealthcheckResult result;
                var start = DateTimeOffset.Now;
                try
                {
                    result = await _probe.RunAsync(container, settings, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    result = new HealthcheckResult { Start = start, End = DateTimeOffset.Now, ExitCode = -1, Output = e.Message };
                }
                await RecordAsync(container, settings, startedAt, result, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped: the container exited, paused or started anew.
        }
        catch (Exception e)
        {
            log($"container {container.Id}: health check monitor failed: {e.Message}");
        }
    }

    async Task RecordAsync(Container container, HealthSettings settings, DateTimeOffset startedAt, HealthcheckResult result, CancellationToken ct)
    {
        string? changed = null;
        await container.Lock.WaitAsync(ct);
        try
        {
            // Stopped while waiting for the lock: the result belongs to a run that is over.
            var state = container.Record.State;
            if (ct.IsCancellationRequested || state.Health is not { } before)
                return;
            var after = HealthRules.Record(before, result, settings.Retries, settings.StartPeriod, startedAt);
            state.Health = after;
            if (after.Status != before.Status)
                changed = after.Status;
            // Every probe's result is kept, but only a change of status is worth an fsync.
            containers.Store.Save(container, durable: changed is not null);
        }
        finally
        {
            container.Lock.Release();
        }
        if (changed is not null)
            containers.Events.Publish("container", "health_status: " + changed, container.Id, containers.Attributes(container));
    }
}
