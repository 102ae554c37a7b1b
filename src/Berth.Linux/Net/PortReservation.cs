using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Interop;

namespace Berth.Linux.Net;

/// <summary>
/// A host port held by a bound socket that never listens: the kernel then gives the port to no other socket. Unlike
/// .NET's <see cref="Socket.Bind"/>, which sets SO_REUSEADDR on Linux, this binds without it, so that two holders of one
/// port, both not listening, cannot coexist. IPv4.
/// </summary>
public sealed unsafe class PortReservation : IDisposable
{
    const int IPPROTO_SCTP = 132;
    const int SOCK_SEQPACKET = 5;
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
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"not an IPv4 address: {address}", nameof(address));
        var (type, proto) = protocol switch
        {
            "udp" => (Libc.SOCK_DGRAM, 0),
            "sctp" => (SOCK_SEQPACKET, IPPROTO_SCTP),
            _ => (Libc.SOCK_STREAM, 0),
        };
        int fd = Libc.socket(Libc.AF_INET, type | Libc.SOCK_CLOEXEC, proto);
        if (fd < 0)
            throw LinuxException.FromLastError($"socket for {protocol} port {port}");
        try
        {
            Span<byte> sockaddr = stackalloc byte[16];
            sockaddr.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, (ushort)Libc.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
            address.TryWriteBytes(sockaddr[4..], out _);
            fixed (byte* p = sockaddr)
            {
                if (Libc.bind(fd, p, 16) < 0)
                    throw LinuxException.FromLastError($"bind {address}:{port}/{protocol}");
                uint length = 16;
                if (Libc.getsockname(fd, p, &length) < 0)
                    throw LinuxException.FromLastError($"getsockname of {address}:{port}/{protocol}");
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
