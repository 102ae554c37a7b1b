using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Networks.Dns;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>The embedded resolver of each running container on a user-defined network, by container ID.</summary>
    readonly Dictionary<string, EmbeddedDns> _resolvers = new(StringComparer.Ordinal);

    /// <summary>Whether the container resolves through the engine (Docker's rule: it is on a user-defined network).</summary>
    public bool UsesEmbeddedDns(ContainerRecord record)
    {
        foreach (var (name, settings) in record.Networks)
        {
            if ((_store.TryGet(settings.NetworkID) ?? _store.TryGet(name)) is { Driver: "bridge" } network && !IsDefaultBridge(network))
                return true;
        }
        return false;
    }

    void StartResolver(ContainerRecord record, NetworkNamespace ns)
    {
        if (!UsesEmbeddedDns(record) || _resolvers.ContainsKey(record.Id))
            return;
        // A container only on internal networks has no way out, for its names neither: nothing is forwarded.
        bool outside = record.Networks.Values.Any(e => _store.TryGet(e.NetworkID) is { Internal: false });
        var upstream = !outside ? [] : (record.HostConfig.Dns is { Count: > 0 } dns ? dns : ContainerFiles.HostNameServers())
            .Select(s => IPAddress.TryParse(s, out var a) ? new IPEndPoint(a, 53) : null)
            .OfType<IPEndPoint>()
            .ToList();
        string id = record.Id;
        _resolvers[id] = EmbeddedDns.Start(ns, name => Resolve(id, name), address => ReverseResolve(id, address), upstream);
    }

    void StopResolver(string containerId)
    {
        if (_resolvers.Remove(containerId, out var resolver))
            resolver.Dispose();
    }

    /// <summary>
    /// A name as a container sees it: the names, aliases and short IDs of the containers on the user-defined networks it
    /// is on, also as "name.network"; null when none has it.
    /// </summary>
    IReadOnlyList<IPAddress>? Resolve(string containerId, string name)
    {
        lock (_lock)
        {
            List<IPAddress>? found = null;
            foreach (var (networkId, endpoints) in _names)
            {
                if (!endpoints.ContainsKey(containerId) || _store.TryGet(networkId) is not { } network)
                    continue;
                string suffix = "." + network.Name.ToLowerInvariant();
                string local = name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
                foreach (var entry in endpoints.Values)
                {
                    if (entry.Names.Contains(name) || entry.Names.Contains(local))
                    {
                        (found ??= []).Add(entry.Address);
                        if (entry.Address6 is not null)
                            found.Add(entry.Address6);
                    }
                }
            }
            return found;
        }
    }

    string? ReverseResolve(string containerId, IPAddress address)
    {
        lock (_lock)
        {
            foreach (var (networkId, endpoints) in _names)
            {
                if (!endpoints.ContainsKey(containerId) || _store.TryGet(networkId) is not { } network)
                    continue;
                foreach (var entry in endpoints.Values)
                {
                    if (entry.Address.Equals(address) || address.Equals(entry.Address6))
                        return $"{entry.Names[0]}.{network.Name}";
                }
            }
            return null;
        }
    }

    /// <summary>Names on user-defined networks: network ID to container ID to its DNS names and address.</summary>
    readonly Dictionary<string, Dictionary<string, DnsEntry>> _names = new(StringComparer.Ordinal);

    /// <summary>An endpoint's names and addresses (its IPv6 one on a network with IPv6, for AAAA and ip6.arpa PTR queries).</summary>
    sealed record DnsEntry(string[] Names, IPAddress Address, IPAddress? Address6);

    void AddNames(Network network, ContainerRecord record, EndpointSettings settings)
    {
        if (settings.DNSNames is not { Count: > 0 } names || !IPAddress.TryParse(settings.IPAddress, out var address))
            return;
        if (!_names.TryGetValue(network.Id, out var endpoints))
            _names[network.Id] = endpoints = new Dictionary<string, DnsEntry>(StringComparer.Ordinal);
        var address6 = IPAddress.TryParse(settings.GlobalIPv6Address, out var six) ? six : null;
        endpoints[record.Id] = new DnsEntry([.. names.Select(n => n.ToLowerInvariant())], address, address6);
    }

    void RemoveNames(string networkId, string containerId) => _names.GetValueOrDefault(networkId)?.Remove(containerId);

    /// <summary><c>docker rename</c>: neighbours find the container by its new name at once, no longer by the old one.</summary>
    public void Renamed(ContainerRecord record, string oldName)
    {
        lock (_lock)
        {
            foreach (var settings in record.Networks.Values)
            {
                if (settings.DNSNames is { Count: > 0 } names && names[0] == oldName)
                    names[0] = record.PlainName;
                if (_store.TryGet(settings.NetworkID) is not { } network)
                    continue;
                if (_endpoints.GetValueOrDefault(network.Id)?.GetValueOrDefault(record.Id) is { } endpoint)
                    endpoint.Name = record.PlainName;
                if (_names.GetValueOrDefault(network.Id)?.ContainsKey(record.Id) == true)
                    AddNames(network, record, settings);
            }
        }
    }
}
