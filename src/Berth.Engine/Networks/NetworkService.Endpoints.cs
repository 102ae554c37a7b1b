using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Networks.Nat;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// At create: the container's network mode resolved ("default" is the bridge), and its endpoints' settings checked
    /// and recorded by network name (the mode's network first, then those the create's NetworkingConfig adds).
    /// </summary>
    public void PrepareCreate(ContainerRecord record, NetworkingConfig? networking)
    {
        var host = record.HostConfig;
        string mode = string.IsNullOrEmpty(host.NetworkMode) || host.NetworkMode == "default" ? DefaultBridge : host.NetworkMode;
        var given = networking?.EndpointsConfig ?? [];
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            if (given.Count > 0)
                throw EngineException.Invalid("conflicting options: container type network can't be used with a network");
            if (host.PortBindings is { Count: > 0 } || host.PublishAllPorts)
                throw EngineException.Invalid("conflicting options: port publishing and the container type network mode");
            return;
        }
        // A network that does not exist fails the start, not the create, as dockerd's: the CLI takes a 404 from create for
        // a missing image and would try to pull it.
        if (_store.TryGet(mode) is not { } primary)
        {
            record.Networks = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal) { [mode] = given.GetValueOrDefault(mode) ?? new EndpointSettings() };
            return;
        }
        var endpoints = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal);
        endpoints[primary.Name] = Checked(primary, given.GetValueOrDefault(host.NetworkMode) ?? given.GetValueOrDefault(mode) ?? given.GetValueOrDefault(primary.Name) ?? given.GetValueOrDefault(primary.Id));
        foreach (var (name, settings) in given)
        {
            var network = name == "default" ? primary : _store.TryGet(name);
            if (network is null)
            {
                endpoints[name] = settings ?? new EndpointSettings();
                continue;
            }
            if (network.Id == primary.Id)
                continue;
            if (primary.Driver != "bridge" || network.Driver != "bridge")
                throw EngineException.Invalid($"container cannot be connected to network {network.Name} together with {primary.Name}");
            endpoints[network.Name] = Checked(network, settings);
        }
        if (primary.Driver == "host" && (host.PortBindings is { Count: > 0 } || host.PublishAllPorts))
            host.PortBindings = null;   // Docker ignores published ports in host mode (with a warning from the CLI)
        record.Networks = endpoints;
    }

    /// <summary>One endpoint's settings as given, checked against its network (Docker's texts).</summary>
    static EndpointSettings Checked(Network network, EndpointSettings? given)
    {
        var settings = given ?? new EndpointSettings();
        bool userDefined = network.Driver == "bridge" && !IsDefaultBridge(network);
        if (settings.IPAMConfig is { } ipam && (!string.IsNullOrEmpty(ipam.IPv4Address) || !string.IsNullOrEmpty(ipam.IPv6Address)))
        {
            if (!userDefined)
                throw EngineException.Invalid("user specified IP address is supported on user defined networks only");
            if (!string.IsNullOrEmpty(ipam.IPv4Address))
            {
                if (!IPAddress.TryParse(ipam.IPv4Address, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                    throw EngineException.Invalid($"invalid IPv4 address: {ipam.IPv4Address}");
                if (!Addressing(network).Subnet.Contains(ip))
                    throw EngineException.Invalid($"Invalid address {ip}: It does not belong to any of this network's subnets");
            }
            if (!string.IsNullOrEmpty(ipam.IPv6Address))
                CheckedIPv6(network, ipam.IPv6Address);
        }
        if (settings.Aliases is { Count: > 0 } && !userDefined)
            throw EngineException.Invalid("network-scoped alias is supported only for containers in user defined networks");
        settings.NetworkID = network.Id;
        return settings;
    }

    /// <summary>
    /// At start: the container's network namespace, with an interface on each of its bridge networks, its addresses, its
    /// default route, and its published ports. Returns the namespace's path for the runtime, or null when the container
    /// is on the host's network or gets a namespace of its own without interfaces (none). All or nothing.
    /// </summary>
    public string? Attach(ContainerRecord record)
    {
        if (record.Networks.Count == 0)
            return null;
        lock (_lock)
        {
            var networks = Ordered(record);
            if (networks[0].Network.Driver != "bridge")
            {
                foreach (var (network, settings) in networks)
                    settings.NetworkID = network.Id;
                return null;
            }
            string path = Sandbox.PathOf(_options, record.Id);
            using var ns = Sandbox.Create(path);
            record.SandboxKey = path;
            try
            {
                int index = 0;
                // The default IPv6 route goes through the first network with IPv6 that has a way out.
                var gateway6 = networks.FirstOrDefault(n => !n.Network.Internal && Addressing6(n.Network) is not null).Network;
                using (var session = new Sandbox.Session(ns))
                {
                    foreach (var (network, settings) in networks)
                        Join(record, session, network, settings, $"eth{index++}", gateway: index == 1, gateway6: network == gateway6);
                }
                PublishPorts(record, networks);
                StartResolver(record, ns);
            }
            catch
            {
                // Not waited for: a start that needs an address the deletion still holds waits in Take.
                _ = DetachLocked(record);
                throw;
            }
            return path;
        }
    }

    /// <summary>The record's networks, the mode's first (it gives the default route and the published ports).</summary>
    List<(Network Network, EndpointSettings Settings)> Ordered(ContainerRecord record)
    {
        string mode = record.HostConfig.NetworkMode is "" or "default" ? DefaultBridge : record.HostConfig.NetworkMode;
        var list = new List<(Network, EndpointSettings)>();
        foreach (var (name, settings) in record.Networks)
        {
            var network = _store.TryGet(settings.NetworkID) ?? _store.TryGet(name) ?? throw EngineException.NotFound($"network {name} not found");
            list.Add((network, settings));
        }
        return [.. list.OrderBy(n => n.Item1.Name == mode || n.Item1.Id.StartsWith(mode, StringComparison.Ordinal) ? 0 : 1).ThenBy(n => n.Item1.Name, StringComparer.Ordinal)];
    }

    void Join(ContainerRecord record, Sandbox.Session session, Network network, EndpointSettings settings, string inside, bool gateway, bool gateway6 = false)
    {
        var (subnet, gatewayAddress, _) = Addressing(network);
        var address = Take(_allocators[network.Id], settings.IPAMConfig?.IPv4Address);
        var addressing6 = Addressing6(network);
        IPAddress? address6 = null;
        try
        {
            if (addressing6 is not null)
                address6 = Take(_allocators6[network.Id], settings.IPAMConfig?.IPv6Address);
        }
        catch
        {
            _allocators[network.Id].Release(address);
            throw;
        }
        try
        {
            byte[] mac = string.IsNullOrEmpty(settings.MacAddress) || settings.EndpointID.Length > 0 ? Sandbox.MacFor(address) : ParseMac(settings.MacAddress);
            Sandbox.V6? v6 = addressing6 is (var subnet6, var gatewayAddress6, _) && address6 is not null
                ? new Sandbox.V6(address6, subnet6.PrefixLength, gateway6 && !network.Internal ? gatewayAddress6 : null)
                : null;
            string hostSide = Sandbox.Join(session, BridgeName(network), inside, address, subnet.PrefixLength, gateway && !network.Internal ? gatewayAddress : null, mac, Mtu(network), v6);
            (record.HostInterfaces ??= []).Add(hostSide);
            settings.NetworkID = network.Id;
            settings.EndpointID = NetworkStore.NewId();
            settings.Gateway = network.Internal ? "" : gatewayAddress.ToString();
            settings.IPAddress = address.ToString();
            settings.IPPrefixLen = subnet.PrefixLength;
            settings.MacAddress = Sandbox.MacText(mac);
            settings.GlobalIPv6Address = address6?.ToString() ?? "";
            settings.GlobalIPv6PrefixLen = addressing6?.Subnet.PrefixLength ?? 0;
            // As dockerd: the network's IPv6 gateway on every endpoint of an IPv6 network with a way out.
            settings.IPv6Gateway = addressing6 is { } a6 && !network.Internal ? a6.Gateway.ToString() : "";
            settings.DNSNames = IsDefaultBridge(network) ? null : [record.PlainName, .. settings.Aliases ?? [], record.ShortId];
            _endpoints[network.Id][record.Id] = EndpointView(record, settings);
            AddNames(network, record, settings);
        }
        catch
        {
            _allocators[network.Id].Release(address);
            if (address6 is not null)
                _allocators6[network.Id].Release(address6);
            throw;
        }
        Publish(network, "connect", ("container", record.Id));
    }

    static byte[] ParseMac(string text)
    {
        var parts = text.Split(':', '-');
        if (parts.Length != 6)
            throw EngineException.Invalid($"invalid MAC address: {text}");
        var mac = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            if (!byte.TryParse(parts[i], System.Globalization.NumberStyles.HexNumber, null, out mac[i]))
                throw EngineException.Invalid($"invalid MAC address: {text}");
        }
        return mac;
    }

    /// <summary>Published ports go to the container's address on its first network (Docker publishes on the gateway endpoint).</summary>
    void PublishPorts(ContainerRecord record, List<(Network Network, EndpointSettings Settings)> networks)
    {
        var ports = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (string exposed in (record.Config.ExposedPorts ?? []).Keys)
            ports[exposed] = null;
        var (network, settings) = networks[0];
        var mappings = _ports.Reserve(record.Id, record.PlainName, record.Config, record.HostConfig, IPAddress.Parse(settings.IPAddress), Address6(settings));
        foreach (var m in mappings)
            (ports.TryGetValue(m.ContainerPort, out var list) && list is not null ? list : ports[m.ContainerPort] = []).Add(m.Binding);
        record.PublishedPorts = ports;
        if (mappings.Count == 0)
            return;
        _published[network.Id][record.Id] = [.. mappings.Select(m => m.Nat)];
        ApplyNat(network);
    }

    /// <summary>
    /// At stop (exit, kill, daemon restore of a dead container): the namespace, addresses and ports go. Idempotent. The
    /// endpoints are gone from every view at once; the returned task ends when the host interfaces are deleted too and
    /// their addresses free again (<see cref="HostInterfaceRemovals"/>).
    /// </summary>
    public Task Detach(ContainerRecord record)
    {
        lock (_lock)
            return DetachLocked(record);
    }

    Task DetachLocked(ContainerRecord record)
    {
        _ports.Release(record.Id);
        StopResolver(record.Id);
        CloseStatistics(record.Id);
        var addresses = new List<(AddressAllocator, IPAddress)>();
        foreach (var (name, settings) in record.Networks)
        {
            if (_store.TryGet(settings.NetworkID) is { Driver: "bridge" } network && settings.EndpointID.Length > 0)
                Leave(network, record, settings, addresses);
            settings.EndpointID = "";
            settings.Gateway = "";
            settings.IPAddress = "";
            settings.IPPrefixLen = 0;
            settings.GlobalIPv6Address = "";
            settings.GlobalIPv6PrefixLen = 0;
            settings.IPv6Gateway = "";
            settings.DNSNames = null;
            if (settings.IPAMConfig is null || string.IsNullOrEmpty(settings.IPAMConfig.IPv4Address))
                settings.MacAddress = "";
        }
        record.PublishedPorts = null;
        if (!string.IsNullOrEmpty(record.SandboxKey))
        {
            Sandbox.Delete(record.SandboxKey);
            record.SandboxKey = "";
        }
        var veths = record.HostInterfaces ?? [];
        record.HostInterfaces = null;
        return _removals.Start(veths, addresses);
    }

    static void Release(AddressAllocator allocator, IPAddress address, List<(AddressAllocator, IPAddress)>? later)
    {
        if (later is null)
            allocator.Release(address);
        else
            later.Add((allocator, address));
    }

    /// <summary>The endpoint as the network's inspect lists it.</summary>
    static NetworkEndpoint EndpointView(ContainerRecord record, EndpointSettings settings) => new()
    {
        Name = record.PlainName, EndpointID = settings.EndpointID, MacAddress = settings.MacAddress,
        IPv4Address = $"{settings.IPAddress}/{settings.IPPrefixLen}",
        IPv6Address = settings.GlobalIPv6Address.Length > 0 ? $"{settings.GlobalIPv6Address}/{settings.GlobalIPv6PrefixLen}" : "",
    };

    /// <summary>Frees what the container held on the network (its address, names and ports), and says so on the event stream.</summary>
    /// <param name="addresses">Where the endpoint's addresses go when they are released later (by the caller); else now.</param>
    void Leave(Network network, ContainerRecord record, EndpointSettings settings, List<(AddressAllocator, IPAddress)>? addresses = null)
    {
        if (IPAddress.TryParse(settings.IPAddress, out var ip) && _allocators.GetValueOrDefault(network.Id) is { } allocator)
            Release(allocator, ip, addresses);
        if (IPAddress.TryParse(settings.GlobalIPv6Address, out var ip6) && _allocators6.GetValueOrDefault(network.Id) is { } allocator6)
            Release(allocator6, ip6, addresses);
        _endpoints.GetValueOrDefault(network.Id)?.Remove(record.Id);
        RemoveNames(network.Id, record.Id);
        if (_published.GetValueOrDefault(network.Id)?.Remove(record.Id) == true)
            ApplyNat(network);
        Publish(network, "disconnect", ("container", record.Id));
    }

    /// <summary>After a daemon restart: a running container's addresses and ports are taken again.</summary>
    void Restore(ContainerRecord record)
    {
        if (string.IsNullOrEmpty(record.SandboxKey))
            return;
        foreach (var (name, settings) in record.Networks)
        {
            if (_store.TryGet(settings.NetworkID) is not { Driver: "bridge" } network || !_allocators.TryGetValue(network.Id, out var allocator)
                || !IPAddress.TryParse(settings.IPAddress, out var ip))
                continue;
            try
            {
                allocator.Reserve(ip);
            }
            catch (EngineException e)
            {
                _log($"container {record.Id}: address {ip} on {network.Name}: {e.Message}");
            }
            if (IPAddress.TryParse(settings.GlobalIPv6Address, out var ip6) && _allocators6.TryGetValue(network.Id, out var allocator6))
            {
                try
                {
                    allocator6.Reserve(ip6);
                }
                catch (EngineException e)
                {
                    _log($"container {record.Id}: address {ip6} on {network.Name}: {e.Message}");
                }
            }
            _endpoints[network.Id][record.Id] = EndpointView(record, settings);
            AddNames(network, record, settings);
        }
        try
        {
            using var ns = NetworkNamespace.Open(record.SandboxKey);
            StartResolver(record, ns);
        }
        catch (Exception e) when (e is Linux.LinuxException or System.Net.Sockets.SocketException)
        {
            _log($"container {record.Id}: cannot serve its DNS again: {e.Message}");
        }
        if (record.PublishedPorts is not { Count: > 0 } published)
            return;
        var first = Ordered(record)[0];
        var pinned = new HostConfig
        {
            PortBindings = published.Where(p => p.Value is { Count: > 0 }).ToDictionary(p => p.Key, p => (List<PortBinding>?)p.Value, StringComparer.Ordinal),
        };
        try
        {
            var mappings = _ports.Reserve(record.Id, record.PlainName, new ContainerConfig(), pinned, IPAddress.Parse(first.Settings.IPAddress), Address6(first.Settings));
            _published[first.Network.Id][record.Id] = [.. mappings.Select(m => m.Nat)];
        }
        catch (EngineException e)
        {
            _log($"container {record.Id}: cannot hold its published ports again: {e.Message}");
        }
    }
}
