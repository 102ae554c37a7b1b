using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Net;

/// <summary>
/// A NETLINK_ROUTE socket bound in the network namespace of the thread that opened it: links,
/// addresses and routes of that namespace, whichever thread calls later. Open one inside
/// <see cref="NetworkNamespace.Run{T}(Func{T})"/> to configure a container's namespace from the host.
/// </summary>
/// <remarks>
/// Every call is one request and its replies, serialized on the socket, so an instance may be shared
/// by threads. Errors are <see cref="LinuxException"/>s naming the operation and the link, with the
/// kernel's extended-ack text when it gave one.
/// </remarks>
public sealed partial class Netlink : IDisposable
{
    // The kernel cuts dumps into datagrams of at most 32 KiB whatever the reader offers.
    const int ReceiveBufferSize = 64 * 1024;
    const int RequestSize = 512;
    const int DumpAttempts = 5;

    readonly SafeFileHandle _socket;
    readonly Lock _lock = new();
    byte[]? _buffer;
    uint _seq;

    Netlink(SafeFileHandle socket)
    {
        _socket = socket;
        _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
    }

    public static Netlink Open() => new(NetlinkSocket.Open());

    public void Dispose()
    {
        lock (_lock)
        {
            _socket.Dispose();
            if (_buffer is not null)
                ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    delegate void ReplyHandler<TState>(in NetlinkMessage reply, ref TState state);

    /// <summary>Sends a request that only wants the kernel's acknowledgement; returns 0 or the errno.</summary>
    int Execute(ref NetlinkWriter request, out string? kernelMessage)
    {
        int none = 0;
        return Exchange(ref request, ref none, null, out kernelMessage);
    }

    /// <summary>
    /// Sends a request and hands each reply to <paramref name="onReply"/>; returns 0 or the errno. A dump
    /// ends at NLMSG_DONE, an acknowledged request at its NLMSG_ERROR, any other request at its one reply.
    /// A dump that the kernel flags as interrupted by a concurrent change returns EINTR (see <see cref="Dump"/>).
    /// </summary>
    int Exchange<TState>(ref NetlinkWriter request, ref TState state, ReplyHandler<TState>? onReply, out string? kernelMessage)
    {
        kernelMessage = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            uint seq = ++_seq;
            var message = request.Complete(seq);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
            bool dump = (flags & Rtnl.NLM_F_DUMP) == Rtnl.NLM_F_DUMP;
            bool acknowledged = (flags & Rtnl.NLM_F_ACK) != 0;
            NetlinkSocket.Send(_socket, message);
            bool interrupted = false;
            while (true)
            {
                int length = NetlinkSocket.Receive(_socket, _buffer);
                foreach (var reply in new NetlinkMessages(_buffer.AsSpan(0, length)))
                {
                    // Replies to an earlier request that was abandoned (an exception in a handler) are skipped.
                    if (reply.Seq != seq)
                        continue;
                    switch (reply.Type)
                    {
                        case Rtnl.NLMSG_ERROR:
                        {
                            int error = reply.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(reply.Payload) : -Errno.EIO;
                            if (error == 0)
                                return 0;
                            kernelMessage = KernelMessage(reply);
                            return -error;
                        }
                        case Rtnl.NLMSG_DONE:
                        {
                            int error = reply.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(reply.Payload) : 0;
                            return error < 0 ? -error : interrupted ? Errno.EINTR : 0;
                        }
                        case Rtnl.NLMSG_NOOP:
                        case Rtnl.NLMSG_OVERRUN:
                            continue;
                    }
                    interrupted |= (reply.Flags & Rtnl.NLM_F_DUMP_INTR) != 0;
                    onReply?.Invoke(reply, ref state);
                    if (!dump && !acknowledged)
                        return 0;
                }
            }
        }
    }

    /// <summary>
    /// Every object of one kind (RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE) through <paramref name="onReply"/>, dumped
    /// again when a concurrent change interrupted the dump (the kernel then cannot promise a consistent listing).
    /// </summary>
    List<T> Dump<T>(ushort type, byte family, ReplyHandler<List<T>> onReply, string operation)
    {
        Span<byte> buffer = stackalloc byte[RequestSize];
        for (int attempt = 1; ; attempt++)
        {
            var results = new List<T>();
            var request = new NetlinkWriter(buffer, type, Rtnl.NLM_F_DUMP);
            switch (type)
            {
                case Rtnl.RTM_GETLINK:
                    request.Write(new IfInfoMsg { Family = family });
                    request.AddUInt32(Rtnl.IFLA_EXT_MASK, Rtnl.RTEXT_FILTER_SKIP_STATS);
                    break;
                case Rtnl.RTM_GETADDR:
                    request.Write(new IfAddrMsg { Family = family });
                    break;
                default:
                    request.Write(new RtMsg { Family = family });
                    break;
            }
            int errno = Exchange(ref request, ref results, onReply, out var kernelMessage);
            if (errno == 0 || (errno == Errno.EINTR && attempt >= DumpAttempts))
                return results;
            if (errno != Errno.EINTR)
                throw Failure(errno, kernelMessage, operation);
        }
    }

    static LinuxException Failure(int errno, string? kernelMessage, string operation) =>
        new(errno, string.IsNullOrEmpty(kernelMessage) ? operation : $"{operation} ({kernelMessage})");

    /// <summary>The extended-ack text of an NLMSG_ERROR (NLMSGERR_ATTR_MSG), when the kernel gave one.</summary>
    static string? KernelMessage(in NetlinkMessage error)
    {
        if ((error.Flags & Rtnl.NLM_F_ACK_TLVS) == 0 || error.Payload.Length < 4 + NlMsgHdr.Size)
            return null;
        // struct nlmsgerr { int error; struct nlmsghdr msg; } then the request's payload unless capped, then the TLVs.
        int offset = 4 + NlMsgHdr.Size;
        if ((error.Flags & Rtnl.NLM_F_CAPPED) == 0)
            offset = 4 + Rtnl.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(error.Payload[4..]));
        if (offset > error.Payload.Length)
            return null;
        var attributes = new NetlinkAttributes(error.Payload[offset..]);
        while (attributes.MoveNext())
        {
            if (attributes.Type == Rtnl.NLMSGERR_ATTR_MSG)
                return attributes.String;
        }
        return null;
    }
}
