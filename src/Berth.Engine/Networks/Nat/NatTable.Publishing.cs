using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Networks.Nat;

/// <summary>The DNAT half of a bridge's table: published ports as two maps and the chains that look them up.</summary>
public static partial class NatTable
{
    /// <summary>One published port as the maps hold it: IPv4 only, protocol in lower case, HostIp null for every host address.</summary>
    readonly record struct Forward(IPAddress? HostIp, string Protocol, int HostPort, IPAddress ContainerIp, int ContainerPort);

    /// <summary>The ports <paramref name="ports"/> publishes, validated, without repeats, in a canonical order.</summary>
    static List<Forward> Published(IReadOnlyList<PublishedPort> ports)
    {
        var byKey = new Dictionary<(IPAddress? Host, string Protocol, int Port), Forward>();
        foreach (var port in ports)
        {
            // IPv6 host addresses belong in an ip6 table, which Berth does not write yet.
            if (!HostAddress(port.HostIp, out var host))
                continue;
            string protocol = port.Protocol.ToLowerInvariant();
            if (protocol is not ("tcp" or "udp" or "sctp"))
                throw new ArgumentException($"cannot publish protocol '{port.Protocol}': tcp, udp or sctp");
            RequirePort(port.HostPort, "host");
            RequirePort(port.ContainerPort, "container");
            var container = port.ContainerIp.IsIPv4MappedToIPv6 ? port.ContainerIp.MapToIPv4() : port.ContainerIp;
            RequireIPv4(container, "container address");
            var forward = new Forward(host, protocol, port.HostPort, container, port.ContainerPort);
            if (byKey.TryGetValue((host, protocol, port.HostPort), out var other) && other != forward)
                throw new ArgumentException(
                    $"host port {host?.ToString() ?? "0.0.0.0"}:{port.HostPort}/{protocol} is published twice: to {other.ContainerIp}:{other.ContainerPort} and to {container}:{port.ContainerPort}");
            byKey[(host, protocol, port.HostPort)] = forward;
        }
        var sorted = byKey.Values.ToList();
        sorted.Sort(static (a, b) =>
        {
            int c = SortKey(a.HostIp).CompareTo(SortKey(b.HostIp));
            if (c == 0)
                c = string.CompareOrdinal(a.Protocol, b.Protocol);
            return c != 0 ? c : a.HostPort.CompareTo(b.HostPort);
        });
        return sorted;
    }

    /// <summary>The IPv4 address a port is published on (null: all of them); false for an IPv6 one.</summary>
    static bool HostAddress(IPAddress? hostIp, out IPAddress? host)
    {
        host = hostIp is { IsIPv4MappedToIPv6: true } ? hostIp.MapToIPv4() : hostIp;
        if (host is null || host.Equals(IPAddress.Any))
        {
            host = null;
            return true;
        }
        return host.AddressFamily == AddressFamily.InterNetwork;
    }

    static long SortKey(IPAddress? address) =>
        address is null ? -1 : BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    static void RequirePort(int port, string what)
    {
        if (port is < 1 or > 65535)
            throw new ArgumentException($"invalid {what} port {port}: 1 to 65535");
    }

    static void AppendPublishing(StringBuilder script, List<Forward> ports)
    {
        var addressed = ports.Where(p => p.HostIp is not null).ToList();
        var anywhere = ports.Where(p => p.HostIp is null).ToList();
        var lookups = new List<string>(2);
        if (addressed.Count > 0)
        {
            AppendMap(script, "address-ports", "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service",
                addressed.Select(p => $"{p.HostIp} . {p.Protocol} . {p.HostPort} : {p.ContainerIp} . {p.ContainerPort}"));
            lookups.Add("dnat to ip daddr . meta l4proto . th dport map @address-ports");
        }
        if (anywhere.Count > 0)
        {
            AppendMap(script, "ports", "inet_proto . inet_service : ipv4_addr . inet_service",
                anywhere.Select(p => $"{p.Protocol} . {p.HostPort} : {p.ContainerIp} . {p.ContainerPort}"));
            lookups.Add("dnat to meta l4proto . th dport map @ports");
        }
        // fib, not a list of addresses: the host's addresses change (DHCP, new bridges) without Berth hearing of it.
        AppendChain(script, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", ["fib daddr type local jump published"]);
        AppendChain(script, "output", "type nat hook output priority -100; policy accept;", ["fib daddr type local jump published"]);
        AppendChain(script, "published", "", lookups);
    }

    static void AppendMap(StringBuilder script, string name, string type, IEnumerable<string> elements)
    {
        script.Append("\tmap ").Append(name).Append(" {\n");
        script.Append("\t\ttype ").Append(type).Append('\n');
        script.Append("\t\telements = {\n\t\t\t");
        script.AppendJoin(",\n\t\t\t", elements);
        script.Append("\n\t\t}\n\t}\n");
    }
}
