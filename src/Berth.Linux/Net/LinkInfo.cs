namespace Berth.Linux.Net;

/// <summary>
/// A link as the kernel lists it. <paramref name="Kind"/> is the rtnetlink kind ("bridge", "veth", ...),
/// empty for a device without one (lo, a physical NIC); <paramref name="Up"/> is the administrative state
/// (IFF_UP), not whether a carrier is present; <paramref name="MasterIndex"/> is 0 without a master.
/// </summary>
public sealed record LinkInfo(int Index, string Name, string Kind, int Mtu, byte[] MacAddress, bool Up, int MasterIndex);

/// <summary>The IFLA_STATS64 counters of a link, as the link itself counts them (rx is what it received).</summary>
public readonly record struct LinkStatistics(ulong RxBytes, ulong RxPackets, ulong RxErrors, ulong RxDropped,
                                             ulong TxBytes, ulong TxPackets, ulong TxErrors, ulong TxDropped);
