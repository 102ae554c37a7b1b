namespace Berth.Linux.Net;

/// <summary>A unicast route of the main table; <paramref name="Gateway"/> null for a directly connected one, <paramref name="OutIndex"/> 0 when it names no device.</summary>
public sealed record RouteInfo(System.Net.IPNetwork Destination, System.Net.IPAddress? Gateway, int OutIndex);
