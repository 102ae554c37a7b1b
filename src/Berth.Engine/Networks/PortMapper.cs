using System.Net;
using Berth.Linux;
using Berth.Linux.Net;
using Berth.Engine.Model;
using Berth.Engine.Networks.Nat;

namespace Berth.Engine.Networks;

/// <summary>
/// Host ports of published container ports. Each one is held by a bound (not listening) socket while its container
/// runs: the kernel then refuses it to any other program and to a second container, and gives a random port when
/// none is asked. Packets never reach those sockets: nftables rewrites them to the container before local delivery.
/// </summary>
public sealed class PortMapper
{
    readonly Lock _lock = new();
    readonly Dictionary<string, List<PortReservation>> _held = new(StringComparer.Ordinal);

    /// <summary>One published port with its host port resolved, and the socket that holds it.</summary>
    public sealed record Mapping(string ContainerPort, PortBinding Binding, PublishedPort Nat);

    /// <summary>
    /// The container's published ports (<c>-p</c>, and <c>-P</c> for every exposed port), their host ports reserved.
    /// With an IPv6 address (<paramref name="containerIp6"/>: its first network has IPv6) a port published without a host
    /// address is published on [::] too, on the same port, as dockerd 27 does; one published on an IPv6 host address
    /// goes to that address. All or nothing: a port that cannot be had releases the ones taken before it.
    /// </summary>
    public IReadOnlyList<Mapping> Reserve(string containerId, string endpointName, ContainerConfig config, HostConfig host, IPAddress containerIp, IPAddress? containerIp6 = null)
    {
        var wanted = Wanted(config, host);
        var mappings = new List<Mapping>();
        var sockets = new List<PortReservation>();
        try
        {
            foreach (var (port, binding) in wanted)
            {
                var (number, protocol) = ParsePort(port);
                IPAddress hostIp = string.IsNullOrEmpty(binding.HostIp) ? IPAddress.Any
                    : IPAddress.TryParse(binding.HostIp, out var ip) ? ip : throw EngineException.Invalid($"invalid host IP address: {binding.HostIp}");
                var target = hostIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? containerIp6 ?? containerIp : containerIp;
                bool both = string.IsNullOrEmpty(binding.HostIp) && containerIp6 is not null;
                for (int attempt = 1; ; attempt++)
                {
                    var (socket, hostPort) = Hold(hostIp, binding.HostPort, protocol, target, number, endpointName);
                    PortReservation? socket6 = null;
                    try
                    {
                        if (both)
                            (socket6, _) = Hold(IPAddress.IPv6Any, hostPort.ToString(), protocol, containerIp6!, number, endpointName);
                    }
                    catch (EngineException) when (string.IsNullOrEmpty(binding.HostPort) && attempt < 16)
                    {
                        // A random port free on 0.0.0.0 but taken on [::]: another one, free on both.
                        socket.Dispose();
                        continue;
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                    sockets.Add(socket);
                    mappings.Add(Map(port, protocol, hostIp, hostPort, target, number));
                    if (socket6 is not null)
                    {
                        sockets.Add(socket6);
                        mappings.Add(Map(port, protocol, IPAddress.IPv6Any, hostPort, containerIp6!, number));
                    }
                    break;
                }
            }
        }
        catch
        {
            foreach (var s in sockets)
                s.Dispose();
            throw;
        }
        lock (_lock)
            _held[containerId] = sockets;
        return mappings;
    }

    static Mapping Map(string port, string protocol, IPAddress hostIp, int hostPort, IPAddress target, int containerPort) =>
        new(port, new PortBinding { HostIp = hostIp.ToString(), HostPort = hostPort.ToString() },
            new PublishedPort(protocol, hostIp.Equals(IPAddress.Any) ? null : hostIp, hostPort, target, containerPort));

    public void Release(string containerId)
    {
        List<PortReservation>? sockets;
        lock (_lock)
        {
            if (!_held.Remove(containerId, out sockets))
                return;
        }
        foreach (var s in sockets)
            s.Dispose();
    }

    /// <summary>Docker's list: each -p binding, then with -P every exposed port not bound already, on a random port.</summary>
    static List<(string Port, PortBinding Binding)> Wanted(ContainerConfig config, HostConfig host)
    {
        var wanted = new List<(string, PortBinding)>();
        foreach (var (port, bindings) in (host.PortBindings ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            ParsePort(port);
            if (bindings is null || bindings.Count == 0)
                wanted.Add((port, new PortBinding()));
            else
                wanted.AddRange(bindings.Select(b => (port, b)));
        }
        if (host.PublishAllPorts)
        {
            foreach (string port in (config.ExposedPorts ?? []).Keys.Order(StringComparer.Ordinal))
            {
                if (host.PortBindings?.ContainsKey(port) != true)
                    wanted.Add((port, new PortBinding()));
            }
        }
        return wanted;
    }

    /// <summary>"80/tcp" (the protocol defaults to tcp).</summary>
    public static (int Port, string Protocol) ParsePort(string port)
    {
        int slash = port.IndexOf('/');
        string number = slash < 0 ? port : port[..slash];
        string protocol = slash < 0 ? "tcp" : port[(slash + 1)..].ToLowerInvariant();
        if (!int.TryParse(number, out int n) || n is < 1 or > 65535)
            throw EngineException.Invalid($"invalid port specification: \"{port}\"");
        if (protocol is not ("tcp" or "udp" or "sctp"))
            throw EngineException.Invalid($"invalid proto: {protocol}");
        return (n, protocol);
    }

    static (PortReservation Held, int Port) Hold(IPAddress hostIp, string hostPort, string protocol, IPAddress containerIp, int containerPort, string endpointName)
    {
        var (low, high) = ParseHostPorts(hostPort);
        LinuxException? last = null;
        for (int candidate = low; candidate <= high; candidate++)
        {
            try
            {
                var held = PortReservation.Bind(hostIp, candidate, protocol);
                return (held, held.Port);
            }
            catch (LinuxException e)
            {
                last = e;
            }
        }
        string what = $"{hostIp}:{(low == high ? low.ToString() : hostPort)}:{containerIp}:{containerPort}/{protocol}";
        string why = last?.Errno == Errno.EADDRINUSE ? "address already in use" : last?.Message ?? "no port";
        throw EngineException.System($"driver failed programming external connectivity on endpoint {endpointName}: failed to bind host port for {what}: {why}");
    }

    /// <summary>"" (any free port), "8080", or a range to pick from, "8000-8010".</summary>
    static (int Low, int High) ParseHostPorts(string text)
    {
        if (string.IsNullOrEmpty(text))
            return (0, 0);
        int dash = text.IndexOf('-');
        if (dash < 0)
            return int.TryParse(text, out int p) && p is >= 0 and <= 65535 ? (p, p) : throw EngineException.Invalid($"invalid hostPort: {text}");
        if (int.TryParse(text.AsSpan(0, dash), out int low) && int.TryParse(text.AsSpan(dash + 1), out int high) && low is >= 1 and <= 65535 && high >= low && high <= 65535)
            return (low, high);
        throw EngineException.Invalid($"invalid hostPort: {text}");
    }
}
