using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Networks.Nat;

/// <summary>The DNAT half of a bridge's table: published ports as two maps and the chains that look them up.</summary>
public static partial class NatTable
{
    /// <summary>One published port as the maps hold it: one family, protocol in lower case, HostIp null for every host address.</summary>
    readonly record struct Forward(IPAddress? HostIp, string Protocol, int HostPort, IPAddress ContainerIp, int ContainerPort);

    /// <summary>
    /// The ports <paramref name="ports"/> publishes in one family's table, validated, without repeats, in a canonical
    /// order. The family is the host address's: IPv4 ones (and those without one) for the ip table, IPv6 ones (<c>::</c>
    /// for every IPv6 address of the host) for the ip6 table.
    /// </summary>
    static List<Forward> Published(IReadOnlyList<PublishedPort> ports, AddressFamily family = AddressFamily.InterNetwork)
    {
        var byKey = new Dictionary<(IPAddress? Host, string Protocol, int Port), Forward>();
        foreach (var port in ports)
        {
            if (!HostAddress(port.HostIp, family, out var host))
                continue;
            string protocol = port.Protocol.ToLowerInvariant();
            if (protocol is not ("tcp" or "udp" or "sctp"))
                throw new ArgumentException($"cannot publish protocol '{port.Protocol}': tcp, udp or sctp");
            RequirePort(port.HostPort, "host");
            RequirePort(port.ContainerPort, "container");
            var container = port.ContainerIp.IsIPv4MappedToIPv6 ? port.ContainerIp.MapToIPv4() : port.ContainerIp;
            RequireFamily(container, family, "container address");
            var forward = new Forward(host, protocol, port.HostPort, container, port.ContainerPort);
            if (byKey.TryGetValue((host, protocol, port.HostPort), out var other) && other != forward)
                throw new ArgumentException(
                    $"host port {host?.ToString() ?? AnyText(family)}:{port.HostPort}/{protocol} is published twice: to {other.ContainerIp}:{other.ContainerPort} and to {container}:{port.ContainerPort}");
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

    static string AnyText(AddressFamily family) => family == AddressFamily.InterNetwork ? "0.0.0.0" : "[::]";

    /// <summary>
    /// The address of <paramref name="family"/> a port is published on (null: all of them); false when the port is
    /// published in the other family. No host address at all is IPv4's "every address" (dockerd's 0.0.0.0).
    /// </summary>
    static bool HostAddress(IPAddress? hostIp, AddressFamily family, out IPAddress? host)
    {
        host = hostIp is { IsIPv4MappedToIPv6: true } ? hostIp.MapToIPv4() : hostIp;
        if (host is null)
            return family == AddressFamily.InterNetwork;
        if (host.AddressFamily != family)
            return false;
        if (host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any))
            host = null;
        return true;
    }

    static bool HostAddress(IPAddress? hostIp, out IPAddress? host) => HostAddress(hostIp, AddressFamily.InterNetwork, out host);

    static UInt128 SortKey(IPAddress? address) => address is null ? 0 : AddressPools.ToNumber(address) + 1;

    static void RequirePort(int port, string what)
    {
        if (port is < 1 or > 65535)
            throw new ArgumentException($"invalid {what} port {port}: 1 to 65535");
    }

    static void AppendPublishing(StringBuilder script, List<Forward> ports, AddressFamily family = AddressFamily.InterNetwork)
    {
        string addressType = family == AddressFamily.InterNetwork ? "ipv4_addr" : "ipv6_addr";
        string daddr = family == AddressFamily.InterNetwork ? "ip daddr" : "ip6 daddr";
        var addressed = ports.Where(p => p.HostIp is not null).ToList();
        var anywhere = ports.Where(p => p.HostIp is null).ToList();
        var lookups = new List<string>(2);
        if (addressed.Count > 0)
        {
            AppendMap(script, "address-ports", $"{addressType} . inet_proto . inet_service : {addressType} . inet_service",
                addressed.Select(p => $"{p.HostIp} . {p.Protocol} . {p.HostPort} : {p.ContainerIp} . {p.ContainerPort}"));
            lookups.Add($"dnat to {daddr} . meta l4proto . th dport map @address-ports");
        }
        if (anywhere.Count > 0)
        {
            AppendMap(script, "ports", $"inet_proto . inet_service : {addressType} . inet_service",
                anywhere.Select(p => $"{p.Protocol} . {p.HostPort} : {p.ContainerIp} . {p.ContainerPort}"));
            lookups.Add("dnat to meta l4proto . th dport map @ports");
        }
        // fib, not a list of addresses: the host's addresses change (DHCP, new bridges) without Berth hearing of it.
        AppendChain(script, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", ["fib daddr type local jump published"]);
        // Not ::1: the kernel never routes it out of lo (IPv6 has no route_localnet), so a DNATed connection would hang;
        // left alone it meets the port's holding socket and is refused at once.
        AppendChain(script, "output", "type nat hook output priority -100; policy accept;",
            [family == AddressFamily.InterNetwork ? "fib daddr type local jump published" : "ip6 daddr != ::1 fib daddr type local jump published"]);
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
