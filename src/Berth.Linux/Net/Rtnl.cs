namespace Berth.Linux.Net;

/// <summary>
/// The numbers of the netlink and rtnetlink wire format (linux/netlink.h, linux/rtnetlink.h,
/// linux/if_link.h, linux/if_addr.h, linux/veth.h) that Berth sends or reads.
/// </summary>
internal static class Rtnl
{
    // Message types.
    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_GETROUTE = 26;

    // Request flags.
    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    // Flags of an NLMSG_ERROR message.
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    // Attributes of a link (IFLA_*).
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_STATS64 = 23;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_EXT_MASK = 29;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_INFO_SLAVE_KIND = 4;
    public const ushort IFLA_INFO_SLAVE_DATA = 5;
    public const ushort IFLA_BRPORT_MODE = 4;
    public const ushort VETH_INFO_PEER = 1;
    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;
    public const uint IFF_UP = 0x1;

    // Attributes of an address (IFA_*).
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_FLAGS = 8;
    public const byte IFA_F_NODAD = 0x02;

    // Attributes and values of a route (RTA_*, RT_*, RTN_*, RTPROT_*).
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_TABLE = 15;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTN_UNICAST = 1;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;

    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    /// <summary>Everything on the wire is padded to 4 bytes (NLMSG_ALIGN, NLA_ALIGN).</summary>
    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>The attribute type without NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public const ushort NLA_TYPE_MASK = 0x3fff;
}
