using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// The upstream servers that names no container has are forwarded to, asked from the host's namespace one after the
/// other until one answers. A query that came over TCP goes on over TCP. One that came over UDP goes over UDP, and
/// to the same server again over TCP when that answer comes back truncated: the client then gets every record that
/// its own limit takes, not only those that fitted the server's UDP limit.
/// </summary>
sealed class DnsForwarder(IReadOnlyList<IPEndPoint> servers)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>The first answer of a server; null when none answered, or when <paramref name="stop"/> was cancelled.</summary>
    public async Task<byte[]?> ForwardAsync(byte[] query, bool overTcp, CancellationToken stop)
    {
        foreach (var server in servers)
        {
            try
            {
                byte[] answer = await ExchangeAsync(server, query, overTcp, stop);
                if (overTcp || !DnsMessage.IsTruncated(answer))
                    return answer;
                try
                {
                    return await ExchangeAsync(server, query, overTcp: true, stop);
                }
                catch (Exception e) when (IsFailure(e) && !stop.IsCancellationRequested)
                {
                    // A server that truncates but takes no TCP: the client gets what fitted, with TC as the server set it.
                    return answer;
                }
            }
            catch (Exception e) when (IsFailure(e))
            {
                if (stop.IsCancellationRequested)
                    return null;
            }
        }
        return null;
    }

    static bool IsFailure(Exception e) => e is OperationCanceledException or SocketException or IOException or InvalidDataException;

    /// <exception cref="InvalidDataException">The server's answer is not a response to the query.</exception>
    static async Task<byte[]> ExchangeAsync(IPEndPoint server, byte[] query, bool overTcp, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(Timeout);
        byte[] answer = overTcp ? await OverTcpAsync(server, query, timeout.Token) : await OverUdpAsync(server, query, timeout.Token);
        if (!DnsMessage.IsAnswerTo(answer, query))
            throw new InvalidDataException($"DNS server {server}: its message is not an answer to the query");
        return answer;
    }

    static async Task<byte[]> OverUdpAsync(IPEndPoint server, byte[] query, CancellationToken cancellation)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected: the kernel drops datagrams from anyone but the server.
        await socket.ConnectAsync(server, cancellation);
        await socket.SendAsync(query, SocketFlags.None, cancellation);
        // The largest datagram, so that an answer sized for a client's EDNS0 offer is never cut by the buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);
            return buffer[..n];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static async Task<byte[]> OverTcpAsync(IPEndPoint server, byte[] query, CancellationToken cancellation)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellation);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await DnsTcpFraming.WriteAsync(stream, query, cancellation);
        return await DnsTcpFraming.ReadAsync(stream, cancellation)
            ?? throw new EndOfStreamException($"DNS server {server}: the connection closed without an answer");
    }
}
