using Berth.Engine.Runtimes;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary><c>docker pause</c>: freezes the container's cgroup through its runtime.</summary>
    public async Task PauseAsync(Container container, CancellationToken ct = default)
    {
        await container.Lock.WaitAsync(ct);
        try
        {
            var state = container.Record.State;
            if (state.Status == ContainerStatus.Paused)
                throw EngineException.Conflict($"Container {container.Id} is already paused");
            if (state.Status != ContainerStatus.Running)
                throw EngineException.Conflict($"Container {container.Id} is not running");
            var runtime = RuntimeOf(container.Record.Runtime);
            await RuntimeCommand.RunAsync(runtime, Options.RuntimeRoot(runtime.Name), ["pause", container.Id], ct);
            state.Status = ContainerStatus.Paused;
            Health?.Update(container);
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
        Publish(container, "pause");
    }

    /// <summary><c>docker unpause</c>.</summary>
    public async Task UnpauseAsync(Container container, CancellationToken ct = default)
    {
        await container.Lock.WaitAsync(ct);
        try
        {
            var state = container.Record.State;
            if (state.Status != ContainerStatus.Paused)
                throw EngineException.Conflict($"Container {container.Id} is not paused");
            var runtime = RuntimeOf(container.Record.Runtime);
            await RuntimeCommand.RunAsync(runtime, Options.RuntimeRoot(runtime.Name), ["resume", container.Id], ct);
            state.Status = ContainerStatus.Running;
            Health?.Update(container);
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
        Publish(container, "unpause");
    }
}
