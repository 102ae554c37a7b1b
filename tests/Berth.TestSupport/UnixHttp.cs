using System.Net.Sockets;

namespace Berth.TestSupport;

/// <summary>An HttpClient that talks HTTP over a unix socket (the daemon's API), for requests the docker CLI cannot make.</summary>
public static class UnixHttp
{
    public static HttpClient Client(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://berth"),
    };
}
