using System.Runtime.InteropServices;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Net;

/// <summary>
/// The raw NETLINK_ROUTE socket: created in the network namespace of the calling thread, and bound
/// to that namespace for its whole life whichever thread uses it later.
/// </summary>
internal static unsafe class NetlinkSocket
{
    public static SafeFileHandle Open()
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
            throw LinuxException.FromLastError("open netlink socket");
        var handle = new SafeFileHandle(fd, true);
        try
        {
            // Errors come back with the kernel's own explanation (extended ack) and without a copy of the request.
            int on = 1;
            Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, &on, sizeof(int));
            Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, &on, sizeof(int));
            // sockaddr_nl { nl_family, nl_pad, nl_pid = 0 (the kernel picks a port), nl_groups = 0 }
            var address = stackalloc byte[12];
            new Span<byte>(address, 12).Clear();
            *(ushort*)address = Libc.AF_NETLINK;
            if (Libc.bind(fd, address, 12) < 0)
                throw LinuxException.FromLastError("bind netlink socket");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static void Send(SafeFileHandle socket, ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            while (true)
            {
                nint n = Libc.send((int)socket.DangerousGetHandle(), p, (nuint)message.Length, Libc.MSG_NOSIGNAL);
                if (n >= 0)
                    return;
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw LinuxException.FromLastError("send netlink request");
            }
        }
    }

    /// <summary>Receives one datagram; a datagram larger than the buffer is an error, not a silent cut.</summary>
    public static int Receive(SafeFileHandle socket, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                // MSG_TRUNC makes recv return the datagram's real length even when it did not fit.
                nint n = Libc.recv((int)socket.DangerousGetHandle(), p, (nuint)buffer.Length, Libc.MSG_TRUNC);
                if (n > buffer.Length)
                    throw new InvalidDataException($"netlink reply of {n} bytes exceeds the {buffer.Length}-byte buffer");
                if (n >= 0)
                    return (int)n;
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw LinuxException.FromLastError("receive netlink reply");
            }
        }
    }
}
