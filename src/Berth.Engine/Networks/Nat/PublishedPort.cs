using System.Net;

namespace Berth.Engine.Networks.Nat;

/// <summary>
/// One host port forwarded to a container (<c>-p [HostIp:]HostPort:ContainerPort[/Protocol]</c>); ranges arrive
/// expanded, one record per port.
/// </summary>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</param>
/// <param name="HostIp">
/// The host address the port answers on; null (or 0.0.0.0) for every IPv4 address of the host, :: for every IPv6 one.
/// An IPv6 host address goes with an IPv6 <paramref name="ContainerIp"/>, in the network's ip6 table.
/// </param>
public sealed record PublishedPort(string Protocol, IPAddress? HostIp, int HostPort, IPAddress ContainerIp, int ContainerPort);
