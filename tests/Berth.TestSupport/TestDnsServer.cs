using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.TestSupport;

/// <summary>
/// A small upstream DNS server for tests, on UDP and TCP at one address the test owns (on loopback, port 0 for any
/// free one): it answers one name with many A records, complete over TCP and cut over UDP to what 512 bytes take, with
/// TC set, whatever EDNS0 size the query offers (as a server configured with a small UDP size does). Other names get
/// NXDOMAIN. It counts the queries it gets on each transport.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    const int UdpSize = 512;

    readonly Socket _udp;
    readonly Socket _tcp;
    readonly string _name;
    readonly IReadOnlyList<IPAddress> _addresses;
    readonly CancellationTokenSource _stop = new();
    readonly Task[] _loops;
    int _udpQueries;
    int _tcpQueries;

    public TestDnsServer(IPAddress address, int port, string name, IReadOnlyList<IPAddress> addresses)
    {
        _name = name.ToLowerInvariant();
        _addresses = addresses;
        (_udp, _tcp) = Bind(address, port);
        EndPoint = (IPEndPoint)_tcp.LocalEndPoint!;
        _loops = [ServeUdpAsync(), AcceptAsync()];
    }

    public IPEndPoint EndPoint { get; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    /// <summary>The full answer's size: what a client gets over TCP.</summary>
    public static int FullAnswerLength(string name, int count) => 12 + DnsProbe.EncodeName(name).Length + 4 + 16 * count;

    static (Socket Udp, Socket Tcp) Bind(IPAddress address, int port)
    {
        for (int attempt = 0; ; attempt++)
        {
            var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                tcp.Bind(new IPEndPoint(address, port));
                tcp.Listen();
                // The same port for both, as a DNS server has: TCP's pick, taken again for UDP.
                udp.Bind(new IPEndPoint(address, ((IPEndPoint)tcp.LocalEndPoint!).Port));
                return (udp, tcp);
            }
            catch (SocketException) when (port == 0 && attempt < 20)
            {
                tcp.Dispose();
                udp.Dispose();
            }
            catch
            {
                tcp.Dispose();
                udp.Dispose();
                throw;
            }
        }
    }

    byte[]? Answer(ReadOnlySpan<byte> query, bool overUdp)
    {
        if (DnsProbe.ReadQuestion(query, out int questionEnd) is not { } question)
            return null;
        var packet = new List<byte>();
        packet.AddRange(query[..2]);
        bool known = question.Name == _name;
        int count = known ? _addresses.Count : 0;
        bool truncated = false;
        if (overUdp && 12 + (questionEnd - 12) + 16 * count > UdpSize)
        {
            count = (UdpSize - questionEnd) / 16;
            truncated = true;
        }
        DnsProbe.Add16(packet, (ushort)(0x8400 | (truncated ? 0x0200 : 0) | (query[2] & 0x01) << 8 | 0x80 | (known ? 0 : 3)));
        DnsProbe.Add16(packet, 1);
        DnsProbe.Add16(packet, (ushort)count);
        DnsProbe.Add16(packet, 0);
        DnsProbe.Add16(packet, 0);
        packet.AddRange(query[12..questionEnd]);
        foreach (var address in _addresses.Take(count))
        {
            DnsProbe.Add16(packet, 0xC00C);
            DnsProbe.Add16(packet, DnsProbe.TypeA);
            DnsProbe.Add16(packet, 1);
            DnsProbe.Add16(packet, 0);
            DnsProbe.Add16(packet, 60);
            DnsProbe.Add16(packet, 4);
            packet.AddRange(address.GetAddressBytes());
        }
        return [.. packet];
    }

    async Task ServeUdpAsync()
    {
        var buffer = new byte[ushort.MaxValue];
        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                Interlocked.Increment(ref _udpQueries);
                if (Answer(buffer.AsSpan(0, received.ReceivedBytes), overUdp: true) is { } answer)
                    await _udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return;
            }
        }
    }

    async Task AcceptAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _tcp.AcceptAsync(_stop.Token);
                connections.Add(ServeAsync(connection));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    break;
            }
        }
        await Task.WhenAll(connections);
    }

    /// <summary>Queries one after the other on one connection, until the client closes it or the server stops.</summary>
    async Task ServeAsync(Socket connection)
    {
        try
        {
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            var prefix = new byte[2];
            while (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, _stop.Token) == 2)
            {
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(query, _stop.Token);
                Interlocked.Increment(ref _tcpQueries);
                if (Answer(query, overUdp: false) is not { } answer)
                    return;
                var framed = new byte[answer.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                answer.CopyTo(framed, 2);
                await stream.WriteAsync(framed, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        Task.WaitAll(_loops, TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
