using System.Net;
using System.Net.Sockets;

namespace Berth.Linux.Net;

/// <summary>Routes of the main table (RTM_NEWROUTE, RTM_GETROUTE).</summary>
public sealed partial class Netlink
{
    /// <summary>
    /// A unicast route in the main table: via <paramref name="gateway"/>, or directly connected (scope link) on
    /// <paramref name="outIndex"/> when the gateway is null; <paramref name="outIndex"/> 0 lets the kernel find the device.
    /// </summary>
    public void AddRoute(IPNetwork destination, IPAddress? gateway, int outIndex = 0)
    {
        byte family = FamilyOf(destination.BaseAddress);
        if (gateway is not null && FamilyOf(gateway) != family)
            throw new ArgumentException($"gateway {gateway} is not of the family of {destination}", nameof(gateway));
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWROUTE, CreateFlags);
        request.Write(new RtMsg
        {
            Family = family,
            DestinationLength = (byte)destination.PrefixLength,
            Table = Rtnl.RT_TABLE_MAIN,
            Protocol = Rtnl.RTPROT_BOOT,
            Scope = gateway is null ? Rtnl.RT_SCOPE_LINK : Rtnl.RT_SCOPE_UNIVERSE,
            Type = Rtnl.RTN_UNICAST,
        });
        if (destination.PrefixLength > 0)
            request.AddAddress(Rtnl.RTA_DST, destination.BaseAddress);
        if (gateway is not null)
            request.AddAddress(Rtnl.RTA_GATEWAY, gateway);
        if (outIndex > 0)
            request.AddUInt32(Rtnl.RTA_OIF, (uint)outIndex);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
        {
            string via = gateway is null ? "" : $" via {gateway}";
            string dev = outIndex > 0 ? $" dev {Describe(outIndex)}" : "";
            throw Failure(errno, kernelMessage, $"add route {destination}{via}{dev}");
        }
    }

    public void AddDefaultRoute(IPAddress gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var any = FamilyOf(gateway) == Rtnl.AF_INET ? IPAddress.Any : IPAddress.IPv6Any;
        AddRoute(new IPNetwork(any, 0), gateway);
    }

    /// <summary>The unicast routes of the main table for one family (<see cref="AddressFamily.Unspecified"/>: both).</summary>
    public IReadOnlyList<RouteInfo> Routes(AddressFamily family)
    {
        byte wire = family switch
        {
            AddressFamily.InterNetwork => Rtnl.AF_INET,
            AddressFamily.InterNetworkV6 => Rtnl.AF_INET6,
            AddressFamily.Unspecified => Rtnl.AF_UNSPEC,
            _ => throw new ArgumentException($"no routes for address family {family}", nameof(family)),
        };
        return Dump<RouteInfo>(Rtnl.RTM_GETROUTE, wire, static (in NetlinkMessage reply, ref List<RouteInfo> routes) =>
        {
            if (reply.Type != Rtnl.RTM_NEWROUTE)
                return;
            var header = reply.Header<RtMsg>();
            if (header.Type != Rtnl.RTN_UNICAST || header.Family is not (Rtnl.AF_INET or Rtnl.AF_INET6))
                return;
            uint table = header.Table;
            IPAddress? destination = null, gateway = null;
            int outIndex = 0;
            var attributes = reply.Attributes(RtMsg.Size);
            while (attributes.MoveNext())
            {
                switch (attributes.Type)
                {
                    case Rtnl.RTA_TABLE:
                        table = attributes.UInt32;
                        break;
                    case Rtnl.RTA_DST:
                        destination = attributes.Address;
                        break;
                    case Rtnl.RTA_GATEWAY:
                        gateway = attributes.Address;
                        break;
                    case Rtnl.RTA_OIF:
                        outIndex = (int)attributes.UInt32;
                        break;
                }
            }
            if (table != Rtnl.RT_TABLE_MAIN)
                return;
            destination ??= header.Family == Rtnl.AF_INET ? IPAddress.Any : IPAddress.IPv6Any;
            routes.Add(new RouteInfo(new IPNetwork(destination, header.DestinationLength), gateway, outIndex));
        }, "list routes");
    }
}
