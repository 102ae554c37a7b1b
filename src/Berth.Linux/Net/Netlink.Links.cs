using System.Text;

namespace Berth.Linux.Net;

/// <summary>Creating, changing and deleting links (RTM_NEWLINK, RTM_DELLINK).</summary>
public sealed partial class Netlink
{
    const ushort CreateFlags = Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;

    /// <summary>A new bridge, down; <paramref name="mtu"/> 0 leaves the kernel's default.</summary>
    public void CreateBridge(string name, int mtu = 0)
    {
        CheckName(name);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWLINK, CreateFlags);
        request.Write(new IfInfoMsg());
        request.AddString(Rtnl.IFLA_IFNAME, name);
        if (mtu > 0)
            request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        int info = request.BeginNested(Rtnl.IFLA_LINKINFO);
        request.AddString(Rtnl.IFLA_INFO_KIND, "bridge");
        request.EndNested(info);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"create bridge {name}");
    }

    /// <summary>
    /// A veth pair, both ends down: <paramref name="name"/> in this socket's namespace, <paramref name="peerName"/>
    /// made directly in <paramref name="peerNamespace"/> (here when null), so that a peer name never has to be
    /// unique in the host namespace. <paramref name="mtu"/> 0 leaves the kernel's default; it applies to both ends.
    /// </summary>
    public void CreateVeth(string name, string peerName, NetworkNamespace? peerNamespace = null, int mtu = 0)
    {
        CheckName(name);
        CheckName(peerName);
        bool referenced = false;
        try
        {
            peerNamespace?.Handle.DangerousAddRef(ref referenced);
            Span<byte> buffer = stackalloc byte[RequestSize];
            var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWLINK, CreateFlags);
            request.Write(new IfInfoMsg());
            request.AddString(Rtnl.IFLA_IFNAME, name);
            if (mtu > 0)
                request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
            int info = request.BeginNested(Rtnl.IFLA_LINKINFO);
            request.AddString(Rtnl.IFLA_INFO_KIND, "veth");
            int data = request.BeginNested(Rtnl.IFLA_INFO_DATA);
            // VETH_INFO_PEER carries a whole ifinfomsg and the peer's own attributes.
            int peer = request.BeginNested(Rtnl.VETH_INFO_PEER);
            request.Write(new IfInfoMsg());
            request.AddString(Rtnl.IFLA_IFNAME, peerName);
            if (mtu > 0)
                request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
            if (peerNamespace is not null)
                request.AddUInt32(Rtnl.IFLA_NET_NS_FD, (uint)peerNamespace.Handle.DangerousGetHandle());
            request.EndNested(peer);
            request.EndNested(data);
            request.EndNested(info);
            int errno = Execute(ref request, out var kernelMessage);
            if (errno != 0)
            {
                string where = peerNamespace is null ? "" : $" in {peerNamespace.Path}";
                throw Failure(errno, kernelMessage, $"create veth {name} (peer {peerName}{where})");
            }
        }
        finally
        {
            if (referenced)
                peerNamespace!.Handle.DangerousRelease();
        }
    }

    public void SetUp(int index) => SetFlags(index, Rtnl.IFF_UP, "up");

    public void SetDown(int index) => SetFlags(index, 0, "down");

    /// <summary>Enslaves the link to a bridge; <paramref name="masterIndex"/> 0 releases it.</summary>
    public void SetMaster(int index, int masterIndex)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = ChangeLink(buffer, index);
        request.AddUInt32(Rtnl.IFLA_MASTER, (uint)masterIndex);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"set master of link {Describe(index)} to {Describe(masterIndex)}");
    }

    /// <summary>
    /// Hairpin mode of a bridge port (<c>ip link set X type bridge_slave hairpin on</c>): the bridge may send a frame back
    /// out of the port it came in by, as a container reaching its own published port through the host needs.
    /// </summary>
    public void SetHairpin(int index, bool on)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = ChangeLink(buffer, index);
        int info = request.BeginNested(Rtnl.IFLA_LINKINFO);
        request.AddString(Rtnl.IFLA_INFO_SLAVE_KIND, "bridge");
        int data = request.BeginNested(Rtnl.IFLA_INFO_SLAVE_DATA);
        request.Add(Rtnl.IFLA_BRPORT_MODE, [on ? (byte)1 : (byte)0]);
        request.EndNested(data);
        request.EndNested(info);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"set hairpin mode of link {Describe(index)}");
    }

    public void SetMtu(int index, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = ChangeLink(buffer, index);
        request.AddUInt32(Rtnl.IFLA_MTU, (uint)mtu);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"set mtu of link {Describe(index)} to {mtu}");
    }

    public void SetMacAddress(int index, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6)
            throw new ArgumentException($"a MAC address has 6 bytes, not {mac.Length}", nameof(mac));
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = ChangeLink(buffer, index);
        request.Add(Rtnl.IFLA_ADDRESS, mac);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"set mac address of link {Describe(index)} to {Convert.ToHexString(mac)}");
    }

    /// <summary>Renames a link; the kernel refuses (EBUSY) while it is up.</summary>
    public void Rename(int index, string newName)
    {
        CheckName(newName);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = ChangeLink(buffer, index);
        request.AddString(Rtnl.IFLA_IFNAME, newName);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"rename link {Describe(index)} to {newName}");
    }

    /// <summary>Moves the link into another network namespace, where it arrives down and without addresses.</summary>
    public void MoveTo(int index, NetworkNamespace target)
    {
        ArgumentNullException.ThrowIfNull(target);
        bool referenced = false;
        try
        {
            target.Handle.DangerousAddRef(ref referenced);
            Span<byte> buffer = stackalloc byte[RequestSize];
            var request = ChangeLink(buffer, index);
            request.AddUInt32(Rtnl.IFLA_NET_NS_FD, (uint)target.Handle.DangerousGetHandle());
            int errno = Execute(ref request, out var kernelMessage);
            if (errno != 0)
                throw Failure(errno, kernelMessage, $"move link {Describe(index)} to {target.Path}");
        }
        finally
        {
            if (referenced)
                target.Handle.DangerousRelease();
        }
    }

    /// <summary>Deletes the link (for a veth, both ends).</summary>
    public void DeleteLink(int index)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_DELLINK, Rtnl.NLM_F_ACK);
        request.Write(new IfInfoMsg { Index = index });
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"delete link {Describe(index)}");
    }

    /// <summary>Deletes the link by name; false when there is none.</summary>
    public bool TryDeleteLink(string name)
    {
        CheckName(name);
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_DELLINK, Rtnl.NLM_F_ACK);
        request.Write(new IfInfoMsg());
        request.AddString(Rtnl.IFLA_IFNAME, name);
        int errno = Execute(ref request, out var kernelMessage);
        if (errno == Errno.ENODEV)
            return false;
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"delete link {name}");
        return true;
    }

    void SetFlags(int index, uint flags, string state)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWLINK, Rtnl.NLM_F_ACK);
        request.Write(new IfInfoMsg { Index = index, Flags = flags, Change = Rtnl.IFF_UP });
        int errno = Execute(ref request, out var kernelMessage);
        if (errno != 0)
            throw Failure(errno, kernelMessage, $"set link {Describe(index)} {state}");
    }

    /// <summary>An RTM_NEWLINK without NLM_F_CREATE: changes the attributes that follow on an existing link.</summary>
    static NetlinkWriter ChangeLink(Span<byte> buffer, int index)
    {
        var request = new NetlinkWriter(buffer, Rtnl.RTM_NEWLINK, Rtnl.NLM_F_ACK);
        request.Write(new IfInfoMsg { Index = index });
        return request;
    }

    /// <summary>Link names are at most IFNAMSIZ - 1 = 15 bytes; checked here so the error names the culprit.</summary>
    static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int length = Encoding.UTF8.GetByteCount(name);
        if (length is 0 or > 15)
            throw new ArgumentException($"link name \"{name}\" must have 1 to 15 bytes, not {length}", nameof(name));
    }
}
