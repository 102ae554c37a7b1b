using System.Net;
using Berth.Engine.Model;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    static readonly string[] Predefined = ["bridge", "host", "none"];

    /// <summary><c>docker network create</c>: a bridge network with its subnet (given, or the first free default pool) and its bridge.</summary>
    public NetworkCreateResponse Create(NetworkCreateRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
            throw EngineException.Invalid("invalid network name: name cannot be empty");
        string driver = string.IsNullOrEmpty(request.Driver) ? "bridge" : request.Driver;
        if (driver is "host" or "null")
            throw EngineException.Forbidden($"only one instance of \"{driver}\" network is allowed");
        if (driver != "bridge")
            throw EngineException.NotFound($"plugin \"{driver}\" not found");
        if (request.IPAM is { Driver: { Length: > 0 } ipamDriver } && ipamDriver != "default")
            throw EngineException.NotFound($"plugin \"{ipamDriver}\" not found");
        lock (_lock)
        {
            if (_store.NameTaken(request.Name))
                throw EngineException.Conflict($"network with name {request.Name} already exists");
            using var hostLock = AddressPools.LockHost();
            bool ipv6 = request.EnableIPv6 == true;
            var network = new Network
            {
                Name = request.Name, Id = NetworkStore.NewId(), Created = DateTimeOffset.UtcNow, Driver = driver,
                EnableIPv4 = true, EnableIPv6 = ipv6,
                IPAM = new IPAM { Driver = "default", Options = request.IPAM?.Options, Config = Addressing(request, ipv6) },
                Internal = request.Internal, Attachable = request.Attachable,
                Options = request.Options ?? [], Labels = request.Labels ?? [],
            };
            string bridge = BridgeName(network);
            if (bridge.Length > 15)
                throw EngineException.Invalid($"bridge name {bridge} is too long (at most 15 characters)");
            if (_store.All().Any(n => n.Driver == "bridge" && BridgeName(n) == bridge))
                throw EngineException.Conflict($"bridge name {bridge} is used by another network");
            try
            {
                BringUp(network);
                ApplyNat(network);
                _store.Save(network);
            }
            catch
            {
                TearDown(network);
                throw;
            }
            Publish(network, "create");
            return new NetworkCreateResponse { Id = network.Id };
        }
    }

    /// <summary>
    /// The request's IPAM configs checked (Docker's texts): its IPv4 one or a free default pool, and then its IPv6 one
    /// or, with <paramref name="ipv6"/>, a free /64 of the default IPv6 pool (Docker 27's behaviour). An IPv6 subnet
    /// given without <paramref name="ipv6"/> is kept, unused, as dockerd 20.10 keeps it.
    /// </summary>
    List<IPAMConfig> Addressing(NetworkCreateRequest request, bool ipv6)
    {
        var configs = request.IPAM?.Config ?? [];
        var given6 = configs.Where(c => c.Subnet?.Contains(':') == true).ToList();
        var given4 = configs.Except(given6).ToList();
        if (given4.Count > 1)
            throw EngineException.Invalid("Berth supports one IPv4 subnet per network yet");
        if (given6.Count > 1)
            throw EngineException.Invalid("bridge driver doesn't support multiple subnets");
        var result = new List<IPAMConfig> { Addressing(given4.FirstOrDefault(), v6: false) };
        if (ipv6 || given6.Count > 0)
            result.Add(Addressing(given6.FirstOrDefault(), v6: true));
        return result;
    }

    /// <summary>One family's IPAM config checked, or a free default pool of that family.</summary>
    IPAMConfig Addressing(IPAMConfig? given, bool v6)
    {
        IPNetwork subnet;
        if (!string.IsNullOrEmpty(given?.Subnet))
        {
            subnet = AddressPools.ParseSubnet(given.Subnet);
            foreach (var other in _store.All())
            {
                foreach (var c in other.IPAM.Config ?? [])
                {
                    if (!string.IsNullOrEmpty(c.Subnet) && AddressPools.Overlaps(IPNetwork.Parse(c.Subnet), subnet))
                        throw EngineException.Forbidden("invalid pool request: Pool overlaps with other one on this address space");
                }
            }
        }
        else if (!string.IsNullOrEmpty(given?.Gateway) || !string.IsNullOrEmpty(given?.IPRange))
            throw EngineException.Invalid("invalid network config: a gateway or an IP range needs a subnet");
        else
            subnet = v6 ? AddressPools.PickV6(_options.DataRoot, TakenSubnets()) : AddressPools.Pick(TakenSubnets());

        IPAddress gateway = AddressPools.Nth(subnet, 1);
        if (!string.IsNullOrEmpty(given?.Gateway))
        {
            if (!IPAddress.TryParse(given.Gateway, out var g))
                throw EngineException.Invalid($"invalid network config: invalid gateway address {given.Gateway}");
            if (g.AddressFamily != subnet.BaseAddress.AddressFamily || !subnet.Contains(g))
                throw EngineException.Forbidden($"invalid network config: no matching subnet for gateway {given.Gateway}");
            gateway = g;
        }
        string? range = null;
        if (!string.IsNullOrEmpty(given?.IPRange))
        {
            var r = AddressPools.ParseSubnet(given.IPRange);
            if (!subnet.Contains(r.BaseAddress) || r.PrefixLength < subnet.PrefixLength)
                throw EngineException.Forbidden($"invalid network config: no matching subnet for range {given.IPRange}");
            range = r.ToString();
        }
        return new IPAMConfig { Subnet = subnet.ToString(), IPRange = range, Gateway = gateway.ToString(), AuxiliaryAddresses = given?.AuxiliaryAddresses };
    }

    /// <summary><c>docker network rm</c>: not a predefined network, not one with running containers.</summary>
    public void Remove(string nameOrId)
    {
        lock (_lock)
        {
            var network = _store.Get(nameOrId);
            if (Predefined.Contains(network.Name))
                throw EngineException.Forbidden($"{network.Name} is a pre-defined network and cannot be removed");
            if (_endpoints.TryGetValue(network.Id, out var endpoints) && endpoints.Count > 0)
                throw EngineException.Forbidden($"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            TearDown(network);
            _store.Remove(network);
            Publish(network, "destroy");
        }
    }

    /// <summary><c>docker network prune</c>: every user-defined network without running containers (filters until and label).</summary>
    public NetworkPruneResponse Prune(Filters filters)
    {
        var deleted = new List<string>();
        lock (_lock)
        {
            foreach (var network in _store.All())
            {
                if (Predefined.Contains(network.Name) || (_endpoints.TryGetValue(network.Id, out var e) && e.Count > 0))
                    continue;
                if (!filters.MatchesLabels("label", network.Labels) || (filters.Has("label!") && !NoLabelMatches(filters, network)))
                    continue;
                if (filters.Get("until") is { Count: > 0 } until && !until.All(u => network.Created <= Containers.ContainerService.ParseUntil(u)))
                    continue;
                TearDown(network);
                _store.Remove(network);
                Publish(network, "destroy");
                deleted.Add(network.Name);
            }
        }
        return new NetworkPruneResponse { NetworksDeleted = deleted };
    }

    static bool NoLabelMatches(Filters filters, Network network)
        => !filters.Get("label!").Any(l => l.Split('=', 2) is var kv && network.Labels?.TryGetValue(kv[0], out var v) == true && (kv.Length == 1 || v == kv[1]));

    /// <summary><c>GET /networks</c> with Docker's filters (driver, id, label, name, scope, type, dangling).</summary>
    public IReadOnlyList<Network> List(Filters filters)
    {
        lock (_lock)
        {
            return [.. _store.All().Where(n =>
                (!filters.Has("driver") || filters.Get("driver").Contains(n.Driver))
                && (!filters.Has("id") || filters.Get("id").Any(id => n.Id.StartsWith(id, StringComparison.Ordinal)))
                && (!filters.Has("name") || filters.Get("name").Any(name => n.Name.Contains(name, StringComparison.Ordinal)))
                && (!filters.Has("scope") || filters.Get("scope").Contains(n.Scope))
                && (!filters.Has("type") || filters.Get("type").Contains(Predefined.Contains(n.Name) ? "builtin" : "custom"))
                && (!filters.Has("dangling") || filters.Get("dangling").Contains(
                    (!Predefined.Contains(n.Name) && (!_endpoints.TryGetValue(n.Id, out var e) || e.Count == 0)) ? "true" : "false"))
                && filters.MatchesLabels("label", n.Labels))
                .Select(n => View(n, withContainers: false))];
        }
    }

    /// <summary><c>GET /networks/{id}</c>: the network with its running containers' endpoints.</summary>
    public Network Inspect(string nameOrId)
    {
        lock (_lock)
            return View(_store.Get(nameOrId), withContainers: true);
    }

    Network View(Network n, bool withContainers) => new()
    {
        Name = n.Name, Id = n.Id, Created = n.Created, Scope = n.Scope, Driver = n.Driver, EnableIPv4 = n.EnableIPv4,
        EnableIPv6 = n.EnableIPv6, IPAM = n.IPAM, Internal = n.Internal, Attachable = n.Attachable, Ingress = n.Ingress,
        ConfigFrom = n.ConfigFrom, ConfigOnly = n.ConfigOnly, Options = n.Options ?? [], Labels = n.Labels ?? [],
        Containers = withContainers && _endpoints.TryGetValue(n.Id, out var e)
            ? new Dictionary<string, NetworkEndpoint>(e, StringComparer.Ordinal)
            : [],
    };
}
