namespace Berth.Linux.Net;

/// <summary>Reading links (RTM_GETLINK): by name, all of them, counters.</summary>
public sealed partial class Netlink
{
    public bool TryIndexOf(string name, out int index)
    {
        CheckName(name);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_GETLINK, 0);
        request.Write(new IfInfoMsg());
        request.AddString(Rtnl.IFLA_IFNAME, name);
        request.AddUInt32(Rtnl.IFLA_EXT_MASK, Rtnl.RTEXT_FILTER_SKIP_STATS);
        index = 0;
        int errno = Exchange(ref request, ref index, static (in NetlinkMessage reply, ref int found) =>
            found = reply.Header<IfInfoMsg>().Index, out var kernelMessage);
        if (errno == Errno.ENODEV)
            return false;
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"find link {name}");
        return true;
    }

    /// <summary>The index of a link; <see cref="LinuxException"/> with ENODEV when there is none.</summary>
    public int IndexOf(string name) =>
        TryIndexOf(name, out int index) ? index : throw new LinuxException(Errno.ENODEV, $"find link {name}");

    public IReadOnlyList<LinkInfo> Links() =>
        Dump<LinkInfo>(Rtnl.RTM_GETLINK, Rtnl.AF_UNSPEC, static (in NetlinkMessage reply, ref List<LinkInfo> links) =>
        {
            if (reply.Type == Rtnl.RTM_NEWLINK)
                links.Add(ParseLink(reply));
        }, "list links");

    /// <summary>The link's 64-bit counters (IFLA_STATS64), as `ip -s link` shows them.</summary>
    public LinkStatistics Statistics(int index)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_GETLINK, 0);
        request.Write(new IfInfoMsg { Index = index });
        var statistics = default(LinkStatistics);
        int errno = Exchange(ref request, ref statistics, static (in NetlinkMessage reply, ref LinkStatistics result) =>
        {
            var attributes = reply.Attributes(IfInfoMsg.Size);
            while (attributes.MoveNext())
            {
                if (attributes.Type != Rtnl.IFLA_STATS64)
                    continue;
                // struct rtnl_link_stats64 begins rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped.
                result = new LinkStatistics(
                    RxBytes: attributes.UInt64At(2), RxPackets: attributes.UInt64At(0),
                    RxErrors: attributes.UInt64At(4), RxDropped: attributes.UInt64At(6),
                    TxBytes: attributes.UInt64At(3), TxPackets: attributes.UInt64At(1),
                    TxErrors: attributes.UInt64At(5), TxDropped: attributes.UInt64At(7));
            }
        }, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"read statistics of link {Describe(index)}");
        return statistics;
    }

    /// <summary>"name" of a link for an error message, or "#index" when it cannot be read (never throws).</summary>
    string Describe(int index)
    {
        if (index <= 0)
            return $"#{index}";
        try
        {
            Span<byte> buffer = stackalloc byte[RequestSize];
            var request = new NetlinkWriter(buffer, Rtnl.RTM_GETLINK, 0);
            request.Write(new IfInfoMsg { Index = index });
            request.AddUInt32(Rtnl.IFLA_EXT_MASK, Rtnl.RTEXT_FILTER_SKIP_STATS);
            string? name = null;
            int errno = Exchange(ref request, ref name, static (in NetlinkMessage reply, ref string? found) =>
                found = ParseLink(reply).Name, out _);
            return errno == 0 && !string.IsNullOrEmpty(name) ? name : $"#{index}";
        }
        catch (Exception e) when (e is LinuxException or InvalidDataException or ObjectDisposedException)
        {
            return $"#{index}";
        }
    }

    static LinkInfo ParseLink(in NetlinkMessage reply)
    {
        var header = reply.Header<IfInfoMsg>();
        string name = "", kind = "";
        int mtu = 0, master = 0;
        byte[] mac = [];
        var attributes = reply.Attributes(IfInfoMsg.Size);
        while (attributes.MoveNext())
        {
            switch (attributes.Type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = attributes.String;
                    break;
                case Rtnl.IFLA_MTU:
                    mtu = (int)attributes.UInt32;
                    break;
                case Rtnl.IFLA_ADDRESS:
                    mac = attributes.Value.ToArray();
                    break;
                case Rtnl.IFLA_MASTER:
                    master = (int)attributes.UInt32;
                    break;
                case Rtnl.IFLA_LINKINFO:
                    var info = attributes.Nested;
                    while (info.MoveNext())
                    {
                        if (info.Type == Rtnl.IFLA_INFO_KIND)
                            kind = info.String;
                    }
                    break;
            }
        }
        return new LinkInfo(header.Index, name, kind, mtu, mac, (header.Flags & Rtnl.IFF_UP) != 0, master);
    }
}
