using System.Net;

namespace Berth.Engine.Networks.Nat;

/// <summary>
/// Everything nftables must do for one bridge network: what <see cref="NatTable.Render"/> turns into the
/// bridge's tables (an <c>ip</c> one, and an <c>ip6</c> one when the network has IPv6).
/// </summary>
/// <param name="Bridge">The bridge interface's name; the table is named after it.</param>
/// <param name="Subnet">The network's IPv4 subnet, whose traffic is masqueraded on its way out.</param>
/// <param name="Internal">No way out: traffic between the bridge and any other interface is dropped, nothing is published.</param>
/// <param name="Masquerade">Outbound traffic leaves with the host's address (Docker's <c>enable_ip_masquerade</c>).</param>
/// <param name="Ports">The ports published by the network's containers.</param>
public sealed record BridgeNat(string Bridge, IPNetwork Subnet, bool Internal, bool Masquerade, IReadOnlyList<PublishedPort> Ports)
{
    /// <summary>The network's IPv6 subnet when it has IPv6 (its own <c>ip6</c> table: masquerade and isolation), else null.</summary>
    public IPNetwork? Subnet6 { get; init; }
}
