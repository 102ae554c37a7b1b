using System.Globalization;
using Berth.Linux;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// <c>docker stop</c>: the container's stop signal, then SIGKILL after the timeout (the request's,
    /// else the container's StopTimeout, else 10 s; -1 waits forever). 304 when it is not running.
    /// </summary>
    public async Task StopAsync(Container container, string? signal, int? timeoutSeconds, CancellationToken ct = default)
    {
        var state = container.Record.State;
        if (!state.Running)
            throw EngineException.NotModified("container already stopped");
        int stopSignal = ParseSignal(signal ?? container.Record.Config.StopSignal ?? "SIGTERM");
        int timeout = timeoutSeconds ?? container.Record.Config.StopTimeout ?? 10;
        await container.Lock.WaitAsync(ct);
        try
        {
            state.ManuallyStopped = true;
            Store.Save(container);
            if (state.Status == ContainerStatus.Restarting)
            {
                state.Status = ContainerStatus.Exited;
                Store.Save(container);
                Publish(container, "stop");
                return;
            }
        }
        finally
        {
            container.Lock.Release();
        }
        var exited = container.NextExit;
        if (container.Shim is { } shim && state.Status != ContainerStatus.Exited)
        {
            if (state.Status == ContainerStatus.Paused)
                await UnpauseAsync(container, ct);
            Publish(container, "kill", ("signal", stopSignal.ToString(CultureInfo.InvariantCulture)));
            await SendSignalAsync(shim, stopSignal);
            if (timeout < 0)
                await exited.WaitAsync(ct);
            else if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(timeout), ct)) != exited)
            {
                Publish(container, "kill", ("signal", Signals.SIGKILL.ToString(CultureInfo.InvariantCulture)));
                await SendSignalAsync(shim, Signals.SIGKILL);
                await exited.WaitAsync(ct);
            }
        }
        if (container.Monitor is { } monitor)
            await monitor.WaitAsync(ct);
        Publish(container, "stop");
    }

    /// <summary><c>docker kill</c>: a signal to a running container (Docker's 409 text otherwise).</summary>
    public async Task KillAsync(Container container, string? signal, CancellationToken ct = default)
    {
        int number = ParseSignal(string.IsNullOrEmpty(signal) ? "SIGKILL" : signal);
        var state = container.Record.State;
        if (!state.Running || container.Shim is not { } shim)
            throw EngineException.Conflict($"cannot kill container: {container.Id}: container {container.Id} is not running");
        if (number is 9 or 15 or 2)
        {
            state.ManuallyStopped = true;
            Store.Save(container);
        }
        Publish(container, "kill", ("signal", number.ToString(CultureInfo.InvariantCulture)));
        await SendSignalAsync(shim, number);
        if (number == Signals.SIGKILL)
        {
            await container.NextExit.WaitAsync(ct);
            if (container.Monitor is { } monitor)
                await monitor.WaitAsync(ct);
        }
    }

    /// <summary><c>docker restart</c>: stop (if running) then start.</summary>
    public async Task RestartAsync(Container container, string? signal, int? timeoutSeconds, CancellationToken ct = default)
    {
        if (container.Record.State.Running)
            await StopAsync(container, signal, timeoutSeconds, ct);
        await StartAsync(container, ct);
        Publish(container, "restart");
    }

    static async Task SendSignalAsync(Shims.ShimClient shim, int signal)
    {
        try
        {
            await shim.KillAsync(signal, all: false, CancellationToken.None);
        }
        catch (Shims.ShimException)
        {
            // Exited meanwhile: the monitor records it.
        }
    }

    /// <summary>Docker's signal syntax: a number, or a name with or without SIG.</summary>
    public static int ParseSignal(string signal)
        => Signals.TryParse(signal, out int number) ? number : throw EngineException.Invalid($"Invalid signal: {signal}");
}
