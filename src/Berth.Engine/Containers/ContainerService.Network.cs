using Berth.Engine.Model;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary><c>docker network connect</c>: under the container's lock, so that a start or exit does not interleave.</summary>
    public async Task ConnectAsync(Container container, string network, EndpointSettings? settings, CancellationToken ct = default)
    {
        await container.Lock.WaitAsync(ct);
        try
        {
            if (container.Record.State.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw EngineException.Conflict($"container {container.Id} is marked for removal and cannot be connected or disconnected to the network");
            Networks.Connect(container.Record, network, settings);
            RewriteHosts(container);
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    public async Task DisconnectAsync(Container container, string network, bool force, CancellationToken ct = default)
    {
        await container.Lock.WaitAsync(ct);
        try
        {
            Networks.Disconnect(container.Record, network, force);
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    void RewriteHosts(Container container)
    {
        if (!container.Record.State.Running)
            return;
        var own = container.Record.Networks.Values.FirstOrDefault(e => e.IPAddress.Length > 0);
        ContainerFiles.WriteHosts(container, own?.IPAddress, Networks.HostGateway, ContainerLinks.None.Hosts, own?.GlobalIPv6Address);
    }
}
