using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Interop;

namespace Berth.Linux.Net;

/// <summary>
/// A host port held by a bound socket that never listens: the kernel then gives the port to no other socket. Unlike
/// .NET's <see cref="Socket.Bind"/>, which sets SO_REUSEADDR on Linux, this binds without it, so that two holders of one
/// port, both not listening, cannot coexist. IPv4, or IPv6 only (IPV6_V6ONLY: [::] holds the IPv6 port alone, so that
/// 0.0.0.0 and [::] are held, and may be taken, apart).
/// </summary>
public sealed unsafe class PortReservation : IDisposable
{
    const int IPPROTO_SCTP = 132;
    const int SOCK_SEQPACKET = 5;
    const int AF_INET6 = 10;
    const int IPPROTO_IPV6 = 41;
    const int IPV6_V6ONLY = 26;
    int _fd;

    PortReservation(int fd, int port)
    {
        _fd = fd;
        Port = port;
    }

    /// <summary>The port held (the kernel's choice when 0 was asked).</summary>
    public int Port { get; }

    /// <param name="protocol">"tcp", "udp" or "sctp".</param>
    /// <exception cref="LinuxException">EADDRINUSE when the port is taken.</exception>
    public static PortReservation Bind(IPAddress address, int port, string protocol)
    {
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"not an IPv4 or IPv6 address: {address}", nameof(address));
        var (type, proto) = protocol switch
        {
            "udp" => (Libc.SOCK_DGRAM, 0),
            "sctp" => (SOCK_SEQPACKET, IPPROTO_SCTP),
            _ => (Libc.SOCK_STREAM, 0),
        };
        // Written before any call whose errno it reports: formatting an IPv6 address calls into native code, which
        // overwrites the last error.
        string what = $"{(v6 ? $"[{address}]" : address)}:{port}/{protocol}";
        int family = v6 ? AF_INET6 : Libc.AF_INET;
        int fd = Libc.socket(family, type | Libc.SOCK_CLOEXEC, proto);
        if (fd < 0)
            throw LinuxException.FromLastError($"socket for {protocol} port {port}");
        try
        {
            // sockaddr_in (16 bytes: family, port, address) or sockaddr_in6 (28: family, port, flow info, address, scope).
            int size = v6 ? 28 : 16;
            Span<byte> sockaddr = stackalloc byte[28];
            sockaddr.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, (ushort)family);
            BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
            address.TryWriteBytes(sockaddr[(v6 ? 8 : 4)..], out _);
            if (v6)
            {
                int on = 1;
                if (Libc.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(int)) < 0)
                    throw LinuxException.FromLastError($"IPV6_V6ONLY for {protocol} port {port}");
            }
            fixed (byte* p = sockaddr)
            {
                if (Libc.bind(fd, p, (uint)size) < 0)
                    throw LinuxException.FromLastError("bind " + what);
                uint length = (uint)size;
                if (Libc.getsockname(fd, p, &length) < 0)
                    throw LinuxException.FromLastError("getsockname of " + what);
            }
            return new PortReservation(fd, BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]));
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
