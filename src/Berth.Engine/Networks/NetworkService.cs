using System.Net;
using Berth.Engine.Events;
using Berth.Engine.Model;
using Berth.Engine.Networks.Nat;

namespace Berth.Engine.Networks;

/// <summary>
/// Networks and the containers' endpoints on them: Docker's predefined networks (bridge, host, none), user-defined
/// bridge networks, addresses, published ports and their NAT. One lock orders every change; the kernel work of one
/// change (a link, a table) is done under it, so the in-memory view and the machine never disagree, with one exception:
/// a stopped container's host interfaces are deleted after its endpoints are gone (<see cref="HostInterfaceRemovals"/>).
/// </summary>
public sealed partial class NetworkService
{
    public const string DefaultBridge = "bridge";
    const string BridgeNameOption = "com.docker.network.bridge.name";
    const string MtuOption = "com.docker.network.driver.mtu";
    const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";
    const string DefaultBridgeOption = "com.docker.network.bridge.default_bridge";

    readonly EngineOptions _options;
    readonly NetworkStore _store;
    readonly EventBus _events;
    readonly Action<string> _log;
    readonly NatTables _nat = new();
    readonly PortMapper _ports = new();
    readonly Lock _lock = new();
    readonly Dictionary<string, AddressAllocator> _allocators = new(StringComparer.Ordinal);
    readonly HostInterfaceRemovals _removals;

    /// <summary>The IPv6 address allocators of the networks with IPv6 (<see cref="Network.EnableIPv6"/>).</summary>
    readonly Dictionary<string, AddressAllocator> _allocators6 = new(StringComparer.Ordinal);

    /// <summary>Network ID to container ID to the endpoint, for inspect and the in-use checks.</summary>
    readonly Dictionary<string, Dictionary<string, NetworkEndpoint>> _endpoints = new(StringComparer.Ordinal);

    /// <summary>Network ID to container ID to its published ports: the NAT table of the network's bridge.</summary>
    readonly Dictionary<string, Dictionary<string, IReadOnlyList<PublishedPort>>> _published = new(StringComparer.Ordinal);

    public NetworkService(EngineOptions options, EventBus events, Action<string> log)
    {
        _options = options;
        _events = events;
        _log = log;
        _removals = new HostInterfaceRemovals(log);
        _store = new NetworkStore(Path.Combine(options.DataRoot, "network"), log);
    }

    /// <summary>At daemon stop: the host interfaces of stopped containers are all deleted.</summary>
    public void WaitForRemovals() => _removals.WaitAll();

    /// <summary>
    /// At daemon start: the predefined networks exist, every bridge network has its bridge and NAT table (after a
    /// reboot they are gone), and the endpoints of the containers still running are known again.
    /// </summary>
    public void Open(IEnumerable<Containers.ContainerRecord> running)
    {
        lock (_lock)
        {
            if (Nat.NatTables.EnableForwarding())
                _log("net.ipv4.ip_forward set to 1 for the containers' bridges");
            EnsurePredefined("none", "null");
            EnsurePredefined("host", "host");
            EnsureDefaultBridge();
            foreach (var network in _store.All().Where(n => n.Driver == "bridge"))
            {
                try
                {
                    BringUp(network);
                }
                catch (Exception e) when (e is EngineException or Linux.LinuxException or Linux.Net.NftablesException)
                {
                    _log($"network {network.Name}: cannot set up its bridge: {e.Message}");
                }
            }
            foreach (var record in running)
            {
                try
                {
                    Restore(record);
                }
                catch (Exception e) when (e is EngineException or Linux.LinuxException)
                {
                    _log($"container {record.Id}: cannot restore its networks: {e.Message}");
                }
            }
            foreach (var network in _store.All().Where(n => n.Driver == "bridge"))
            {
                try
                {
                    ApplyNat(network);
                }
                catch (EngineException e)
                {
                    _log($"network {network.Name}: {e.Message}");
                }
            }
        }
    }

    public Network Get(string nameOrId) => _store.Get(nameOrId);

    /// <summary>--add-host's "host-gateway": the default bridge's gateway, the host as its containers reach it.</summary>
    public string? HostGateway => _store.TryGet(DefaultBridge) is { Driver: "bridge" } bridge ? Addressing(bridge).Gateway.ToString() : null;

    public Network? TryGet(string nameOrId) => _store.TryGet(nameOrId);

    void EnsurePredefined(string name, string driver)
    {
        if (_store.TryGet(name) is { } existing && existing.Name == name)
            return;
        _store.Save(new Network
        {
            Name = name, Id = NetworkStore.NewId(), Created = DateTimeOffset.UtcNow, Driver = driver,
            IPAM = new IPAM { Driver = "default", Config = [] }, Options = [], Labels = [],
        });
    }

    void EnsureDefaultBridge()
    {
        if (_store.TryGet(DefaultBridge) is { } existing && existing.Name == DefaultBridge)
        {
            if (BridgeName(existing) == _options.BridgeName)
                return;
            // The daemon's --bridge changed: the old default network goes, with its bridge.
            TearDown(existing);
            _store.Remove(existing);
        }
        using var hostLock = AddressPools.LockHost();
        IPNetwork subnet;
        IPAddress gateway;
        if (_options.BridgeAddress is { } bip)
        {
            int slash = bip.IndexOf('/');
            gateway = IPAddress.Parse(bip.AsSpan(0, slash));
            var given = AddressPools.ParseSubnet(MaskedText(bip));
            subnet = given;
        }
        else
        {
            subnet = ExistingBridgeSubnet(_options.BridgeName) ?? AddressPools.Pick(TakenSubnets());
            gateway = AddressPools.Nth(subnet, 1);
        }
        var network = new Network
        {
            Name = DefaultBridge, Id = NetworkStore.NewId(), Created = DateTimeOffset.UtcNow, Driver = "bridge",
            IPAM = new IPAM { Driver = "default", Config = [new IPAMConfig { Subnet = subnet.ToString(), Gateway = gateway.ToString() }] },
            Options = new Dictionary<string, string>
            {
                [DefaultBridgeOption] = "true",
                ["com.docker.network.bridge.enable_icc"] = "true",
                [MasqueradeOption] = "true",
                ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
                [BridgeNameOption] = _options.BridgeName,
                [MtuOption] = "1500",
            },
            Labels = [],
        };
        BringUp(network);
        _store.Save(network);
    }

    /// <summary>"172.17.0.1/16" to "172.17.0.0/16".</summary>
    static string MaskedText(string cidr)
    {
        int slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address) || !int.TryParse(cidr.AsSpan(slash + 1), out int prefix) || prefix is < 1 or > 30)
            throw EngineException.Invalid($"invalid bip: {cidr}");
        uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return $"{AddressPools.FromUInt(AddressPools.ToUInt(address) & mask)}/{prefix}";
    }

    /// <summary>A bridge of that name left by an earlier daemon keeps its subnet (as dockerd reuses docker0's address).</summary>
    static IPNetwork? ExistingBridgeSubnet(string bridge)
    {
        using var netlink = Linux.Net.Netlink.Open();
        if (!netlink.TryIndexOf(bridge, out int index))
            return null;
        var address = netlink.Addresses().FirstOrDefault(a => a.Index == index && a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return address is null ? null : AddressPools.ParseSubnet(MaskedText($"{address.Address}/{address.PrefixLength}"));
    }

    /// <summary>Subnets a new network must not overlap: the host's routes and every network of this daemon.</summary>
    List<IPNetwork> TakenSubnets()
    {
        var taken = Bridges.HostRoutes().ToList();
        foreach (var n in _store.All())
        {
            foreach (var c in n.IPAM.Config ?? [])
            {
                if (!string.IsNullOrEmpty(c.Subnet))
                    taken.Add(IPNetwork.Parse(c.Subnet));
            }
        }
        return taken;
    }

    static string BridgeName(Network network)
        => network.Options?.GetValueOrDefault(BridgeNameOption) is { Length: > 0 } name ? name : "br-" + network.Id[..12];

    static int Mtu(Network network)
        => network.Options?.GetValueOrDefault(MtuOption) is { } text && int.TryParse(text, out int mtu) && mtu > 0 ? mtu : 1500;

    static bool IsDefaultBridge(Network network) => network.Options?.GetValueOrDefault(DefaultBridgeOption) == "true";

    static (IPNetwork Subnet, IPAddress Gateway, IPNetwork? Range) Addressing(Network network)
    {
        var config = network.IPAM.Config?.FirstOrDefault(c => c.Subnet is not null && !c.Subnet.Contains(':'))
            ?? throw EngineException.System($"network {network.Name} has no IPv4 subnet");
        var subnet = IPNetwork.Parse(config.Subnet!);
        var gateway = string.IsNullOrEmpty(config.Gateway) ? AddressPools.Nth(subnet, 1) : IPAddress.Parse(config.Gateway);
        IPNetwork? range = string.IsNullOrEmpty(config.IPRange) ? null : IPNetwork.Parse(config.IPRange);
        return (subnet, gateway, range);
    }

    /// <summary>The bridge with its gateway addresses, and its address allocators.</summary>
    void BringUp(Network network)
    {
        var (subnet, gateway, range) = Addressing(network);
        var v6 = Addressing6(network);
        Bridges.Ensure(BridgeName(network), gateway, subnet.PrefixLength, Mtu(network), v6 is (var subnet6, var gateway6, _) ? (gateway6, subnet6.PrefixLength) : null);
        _allocators.TryAdd(network.Id, new AddressAllocator(subnet, range, gateway));
        if (v6 is (var s6, var g6, var r6))
            _allocators6.TryAdd(network.Id, new AddressAllocator(s6, r6, g6));
        _endpoints.TryAdd(network.Id, new Dictionary<string, NetworkEndpoint>(StringComparer.Ordinal));
        _published.TryAdd(network.Id, new Dictionary<string, IReadOnlyList<PublishedPort>>(StringComparer.Ordinal));
    }

    void TearDown(Network network)
    {
        _nat.Remove(BridgeName(network));
        Bridges.Delete(BridgeName(network));
        _allocators.Remove(network.Id);
        _allocators6.Remove(network.Id);
        _endpoints.Remove(network.Id);
        _published.Remove(network.Id);
        _names.Remove(network.Id);
    }

    /// <summary>Rewrites the bridge's NAT table from the ports its running containers publish (one atomic replacement).</summary>
    void ApplyNat(Network network)
    {
        var (subnet, _, _) = Addressing(network);
        var ports = _published.TryGetValue(network.Id, out var byContainer)
            ? byContainer.Values.SelectMany(p => p).ToList()
            : [];
        bool masquerade = network.Options?.GetValueOrDefault(MasqueradeOption) != "false";
        _nat.Apply(new BridgeNat(BridgeName(network), subnet, network.Internal, masquerade, ports) { Subnet6 = Addressing6(network)?.Subnet });
    }

    void Publish(Network network, string action, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = network.Name, ["type"] = network.Driver };
        foreach (var (k, v) in extra)
            attributes[k] = v;
        _events.Publish("network", action, network.Id, attributes);
    }
}
