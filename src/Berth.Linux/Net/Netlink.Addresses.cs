using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Linux.Net;

/// <summary>Addresses of links (RTM_NEWADDR, RTM_GETADDR).</summary>
public sealed partial class Netlink
{
    /// <summary>
    /// Adds <paramref name="address"/>/<paramref name="prefixLength"/> to the link: IPv4 with its subnet's broadcast
    /// address (as `ip addr add ... brd +`), IPv6 without duplicate address detection, so that it is usable at once
    /// rather than "tentative" for a second or more.
    /// </summary>
    public void AddAddress(int index, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        byte family = FamilyOf(address);
        bool v4 = family == Rtnl.AF_INET;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, v4 ? 32 : 128);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWADDR, CreateFlags);
        request.Write(new IfAddrMsg
        {
            Family = family,
            PrefixLength = (byte)prefixLength,
            Flags = v4 ? (byte)0 : Rtnl.IFA_F_NODAD,
            Index = (uint)index,
        });
        request.AddAddress(Rtnl.IFA_LOCAL, address);
        request.AddAddress(Rtnl.IFA_ADDRESS, address);
        if (v4 && prefixLength < 31)
            request.AddAddress(Rtnl.IFA_BROADCAST, Broadcast(address, prefixLength));
        if (!v4)
            request.AddUInt32(Rtnl.IFA_FLAGS, Rtnl.IFA_F_NODAD);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"add address {address}/{prefixLength} to link {Describe(index)}");
    }

    /// <summary>Every address of every link, IPv4 and IPv6.</summary>
    public IReadOnlyList<AddressInfo> Addresses() =>
        Dump<AddressInfo>(Rtnl.RTM_GETADDR, Rtnl.AF_UNSPEC, static (in NetlinkMessage reply, ref List<AddressInfo> addresses) =>
        {
            if (reply.Type != Rtnl.RTM_NEWADDR)
                return;
            var header = reply.Header<IfAddrMsg>();
            if (header.Family is not (Rtnl.AF_INET or Rtnl.AF_INET6))
                return;
            IPAddress? local = null, address = null;
            var attributes = reply.Attributes(IfAddrMsg.Size);
            while (attributes.MoveNext())
            {
                if (attributes.Type == Rtnl.IFA_LOCAL)
                    local = attributes.Address;
                else if (attributes.Type == Rtnl.IFA_ADDRESS)
                    address = attributes.Address;
            }
            // IFA_ADDRESS is the peer's address on a point-to-point link; IFA_LOCAL is ours when present.
            var ours = local ?? address;
            if (ours is not null)
                addresses.Add(new AddressInfo((int)header.Index, ours, header.PrefixLength));
        }, "list addresses");

    static byte FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => Rtnl.AF_INET,
        AddressFamily.InterNetworkV6 => Rtnl.AF_INET6,
        _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address)),
    };

    static IPAddress Broadcast(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        uint host = prefixLength == 0 ? uint.MaxValue : uint.MaxValue >> prefixLength;
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(bytes) | host);
        return new IPAddress(bytes);
    }
}
