using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Dns;

public sealed partial class EmbeddedDns
{
    static Socket BindUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(Address, 53));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    async Task ServeUdpAsync()
    {
        var buffer = new byte[1500];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                continue;
            }
            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            _ = AnswerUdpAsync(query, received.RemoteEndPoint);
        }
    }

    async Task AnswerUdpAsync(byte[] query, EndPoint client)
    {
        try
        {
            if (await AnswerAsync(query, overTcp: false) is { } answer)
                await _udp.SendToAsync(answer, SocketFlags.None, client, _stopping);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The container went away, or its resolver did: the query is dropped and retried by the client.
        }
    }
}
