using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// <c>docker network connect</c>: records the endpoint, and when the container runs in its own namespace adds the
    /// interface at once (the next free ethN).
    /// </summary>
    public void Connect(ContainerRecord record, string nameOrId, EndpointSettings? settings)
    {
        lock (_lock)
        {
            var network = _store.Get(nameOrId);
            string mode = record.HostConfig.NetworkMode;
            if (network.Driver is "host" or "null" || mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal))
                throw EngineException.Invalid("container cannot be disconnected from host network or connected to host network");
            if (record.Networks.ContainsKey(network.Name) || record.Networks.Values.Any(e => e.NetworkID == network.Id))
                throw EngineException.Forbidden($"endpoint with name {record.PlainName} already exists in network {network.Name}");
            var endpoint = Checked(network, settings);
            if (!string.IsNullOrEmpty(record.SandboxKey))
            {
                using var ns = NetworkNamespace.Open(record.SandboxKey);
                using var session = new Sandbox.Session(ns);
                var names = session.Inside.Links().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
                int n = 0;
                while (names.Contains($"eth{n}"))
                    n++;
                Join(record, session, network, endpoint, $"eth{n}", gateway: false);
            }
            record.Networks[network.Name] = endpoint;
        }
    }

    /// <summary><c>docker network disconnect</c>: the endpoint goes, and with it the interface of a running container.</summary>
    public void Disconnect(ContainerRecord record, string nameOrId, bool force)
    {
        lock (_lock)
        {
            var network = _store.TryGet(nameOrId);
            if (network is null && !force)
                throw EngineException.NotFound($"network {nameOrId} not found");
            string key = network is null ? nameOrId : record.Networks.FirstOrDefault(e => e.Key == network.Name || e.Value.NetworkID == network.Id).Key;
            if (key is null || !record.Networks.TryGetValue(key, out var settings))
                throw EngineException.Forbidden($"container {record.Id} is not connected to network {network?.Name ?? nameOrId}");
            if (network is { Driver: "host" or "null" })
                throw EngineException.Invalid("container cannot be disconnected from host network or connected to host network");
            if (network is not null && !string.IsNullOrEmpty(record.SandboxKey) && settings.EndpointID.Length > 0)
            {
                using (var ns = NetworkNamespace.Open(record.SandboxKey))
                    Sandbox.Leave(ns, settings.MacAddress);
                if (record.HostInterfaces is { } veths)
                {
                    using var host = Netlink.Open();
                    veths.RemoveAll(v => !host.TryIndexOf(v, out _));
                }
                Leave(network, record, settings);
            }
            record.Networks.Remove(key);
        }
    }
}
