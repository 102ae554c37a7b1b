using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Http;
using Berth.TestSupport;

namespace Berth.Http.Tests;

/// <summary>An <see cref="HttpServer"/> on a unix socket in a fresh temporary directory, removed on dispose.</summary>
sealed class TestServer : IAsyncDisposable
{
    public readonly ConcurrentQueue<string> Log = new();

    TestServer(string directory, HttpServer server)
    {
        Directory = directory;
        Server = server;
        SocketPath = Path.Combine(directory, "berth.sock");
    }

    public string Directory { get; }

    public string SocketPath { get; }

    public HttpServer Server { get; }

    public IPEndPoint? TcpEndPoint { get; private set; }

    public static async Task<TestServer> StartAsync(RequestHandler handler, Action<HttpServer>? configure = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), TestIds.New("httpserver"));
        TestServer? test = null;
        var server = new HttpServer(handler, message => test?.Log.Enqueue(message));
        test = new TestServer(directory, server);
        try
        {
            server.ListenUnix(test.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            configure?.Invoke(server);
            await server.StartAsync(CancellationToken.None);
            return test;
        }
        catch
        {
            await test.DisposeAsync();
            throw;
        }
    }

    public static Task<TestServer> StartAsync(Router router) => StartAsync(router.DispatchAsync);

    public IPEndPoint ListenTcp(ServerTls? tls, IPAddress? address = null) => TcpEndPoint = Server.ListenTcp(new IPEndPoint(address ?? IPAddress.Loopback, 0), tls);

    /// <summary>An HttpClient whose every connection goes to this server's unix socket.</summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task<RawConnection> ConnectAsync() => RawConnection.ConnectUnixAsync(SocketPath);

    public async ValueTask DisposeAsync()
    {
        try
        {
            Server.ShutdownTimeout = TimeSpan.FromSeconds(1);
            await Server.DisposeAsync();
        }
        finally
        {
            if (System.IO.Directory.Exists(Directory))
                System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
