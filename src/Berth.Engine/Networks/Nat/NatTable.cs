using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Networks.Nat;

/// <summary>
/// Renders a bridge network's nftables table (family <c>ip</c>, one per bridge, named <c>berth-&lt;bridge&gt;</c>, so
/// two daemons or two networks never edit each other's rules; a network with IPv6 has an <c>ip6</c> table of that name too). Pure text: the same <see cref="BridgeNat"/>
/// always gives the same script, whatever the order of its ports.
/// </summary>
/// <remarks>
/// The table, for a network with published ports:
/// <list type="bullet">
/// <item><c>prerouting</c> (nat, dstnat) and <c>output</c> (nat, -100, connections the host makes itself): packets to
/// one of the host's own addresses jump to <c>published</c>, which DNATs through two maps, first
/// <c>address-ports</c> (host address . protocol . port, for <c>-p ip:port:port</c>) then <c>ports</c> (protocol .
/// port, any host address), to container address . port. No user-space proxy: one hash lookup per new connection.</item>
/// <item><c>postrouting</c> (nat, srcnat): the subnet masqueraded out of any other interface; 127.0.0.0/8
/// masqueraded into the bridge (connections to 127.0.0.1:port, which also need route_localnet on the bridge);
/// DNATed traffic from the subnet back into the bridge masqueraded (hairpin: a container reaching a published
/// port of itself or a neighbour through a host address gets its answer from where it sent the question).</item>
/// <item><c>forward</c> (filter), internal networks only: whatever crosses between the bridge and another interface
/// is dropped. Internal networks masquerade nothing and publish nothing, as Docker's.</item>
/// </list>
/// With br_netfilter loaded, bridged traffic passes these ip hooks with the bridge as in- and out-interface, so
/// traffic between containers of one bridge matches none of the "other interface" rules.
/// A network with IPv6 gets an <c>ip6</c> table of the same name and shape, in the same transaction: ports published
/// on the host's IPv6 addresses (not ::1, which the kernel never routes out of lo), its IPv6 subnet masqueraded,
/// hairpin and the same isolation.
/// </remarks>
public static partial class NatTable
{
    const string TablePrefix = "berth-";

    /// <summary>The table of <paramref name="bridge"/>: <c>berth-&lt;bridge&gt;</c>.</summary>
    /// <exception cref="ArgumentException">Not a name nft accepts in a table name (letters, digits, <c>-_.</c>; 15 at most).</exception>
    public static string TableName(string bridge)
    {
        if (!IsValidBridge(bridge))
            throw new ArgumentException($"invalid bridge name for an nftables table: '{bridge}'");
        return TablePrefix + bridge;
    }

    /// <summary>
    /// A script that replaces the bridge's table with the one <paramref name="nat"/> needs, in one transaction
    /// (<c>add table</c> makes the <c>delete</c> safe when there is none). Every network has one (its isolation), until
    /// <see cref="RenderDelete"/> removes it with the network.
    /// </summary>
    /// <exception cref="ArgumentException">A subnet or container address of the wrong family for its table, an unknown protocol, a port out of range, or a host port published twice with different targets.</exception>
    public static string Render(BridgeNat nat)
    {
        ArgumentNullException.ThrowIfNull(nat);
        bool masquerade = nat.Masquerade && !nat.Internal;
        var script = new StringBuilder(512 + 40 * nat.Ports.Count);
        AppendTable(script, nat, nat.Subnet, AddressFamily.InterNetwork, masquerade);
        if (nat.Subnet6 is { } subnet6)
            AppendTable(script, nat, subnet6, AddressFamily.InterNetworkV6, masquerade);
        return script.ToString();
    }

    /// <summary>
    /// The table of one family. The <c>ip6</c> one, as dockerd's with ip6tables, has the same shape but no loopback
    /// rule: IPv6 has no route_localnet, and the kernel never routes ::1 out of lo (dockerd reaches [::1]:port only
    /// through its user-space proxy).
    /// </summary>
    static void AppendTable(StringBuilder script, BridgeNat nat, IPNetwork subnet, AddressFamily family, bool masquerade)
    {
        RequireFamily(subnet.BaseAddress, family, "subnet");
        string ip = family == AddressFamily.InterNetwork ? "ip" : "ip6";
        string table = TableName(nat.Bridge);
        string bridge = Quote(nat.Bridge);
        var ports = nat.Internal ? [] : Published(nat.Ports, family);
        script.Append("add table ").Append(ip).Append(' ').Append(table).Append('\n');
        script.Append("delete table ").Append(ip).Append(' ').Append(table).Append('\n');
        script.Append("table ").Append(ip).Append(' ').Append(table).Append(" {\n");
        if (ports.Count > 0)
            AppendPublishing(script, ports, family);
        if (ports.Count > 0 || masquerade)
        {
            var rules = new List<string>(3);
            if (masquerade)
                rules.Add($"{ip} saddr {subnet} oifname != {bridge} masquerade");
            if (ports.Count > 0)
            {
                if (family == AddressFamily.InterNetwork)
                    rules.Add($"oifname {bridge} ip saddr 127.0.0.0/8 masquerade");
                rules.Add($"oifname {bridge} {ip} saddr {subnet} ct status dnat masquerade");
            }
            AppendChain(script, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", rules);
        }
        AppendIsolation(script, bridge, nat.Internal);
        script.Append("}\n");
    }

    /// <summary>
    /// Isolation, as Docker's: nothing new is forwarded into the bridge from elsewhere (another network's bridge, or
    /// another host routing to a container's address) but answers and published ports; an internal network
    /// forwards nothing in or out. The host's own connections are not forwarded: they still reach the containers.
    /// </summary>
    static void AppendIsolation(StringBuilder script, string bridge, bool isInternal) =>
        AppendChain(script, "forward", "type filter hook forward priority filter; policy accept;", isInternal
            ? [$"iifname {bridge} oifname != {bridge} drop", $"oifname {bridge} iifname != {bridge} drop"]
            :
            [
                $"oifname {bridge} iifname {bridge} accept",
                $"oifname {bridge} ct state established,related accept",
                $"oifname {bridge} ct status dnat accept",
                $"oifname {bridge} drop",
            ]);

    /// <summary>A script that removes the bridge's tables (ip and ip6), and does nothing (no error) when there are none.</summary>
    public static string RenderDelete(string bridge)
    {
        string table = TableName(bridge);
        return $"add table ip {table}\ndelete table ip {table}\nadd table ip6 {table}\ndelete table ip6 {table}\n";
    }

    /// <summary>Whether <see cref="Render"/> publishes ports for <paramref name="nat"/> (which then needs route_localnet on the bridge).</summary>
    public static bool PublishesPorts(BridgeNat nat) => !nat.Internal && nat.Ports.Any(p => HostAddress(p.HostIp, out _));

    static void AppendChain(StringBuilder script, string name, string hook, IReadOnlyList<string> rules)
    {
        script.Append("\tchain ").Append(name).Append(" {\n");
        if (hook.Length > 0)
            script.Append("\t\t").Append(hook).Append('\n');
        foreach (var rule in rules)
            script.Append("\t\t").Append(rule).Append('\n');
        script.Append("\t}\n");
    }

    static bool IsValidBridge(string bridge)
    {
        // nft's identifier syntax after the "berth-" prefix, within Linux's 15-character interface names.
        if (string.IsNullOrEmpty(bridge) || bridge.Length > 15)
            return false;
        foreach (char c in bridge)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                return false;
        return true;
    }

    static string Quote(string bridge) => $"\"{bridge}\"";

    static void RequireFamily(IPAddress address, AddressFamily family, string what)
    {
        if (address.AddressFamily != family)
            throw new ArgumentException(family == AddressFamily.InterNetwork
                ? $"the {what} {address} is not IPv4: the ip table is IPv4 only"
                : $"the {what} {address} is not IPv6: the ip6 table is IPv6 only");
    }
}
