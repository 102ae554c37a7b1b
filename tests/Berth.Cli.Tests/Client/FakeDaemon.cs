using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Tests.Client;

/// <summary>A request as the fake daemon received it.</summary>
internal sealed record FakeRequest(string Method, string Target, Dictionary<string, string> Headers, byte[] Body)
{
    public string Path => Target.Split('?')[0];

    public string Query => Target.Contains('?') ? Target[(Target.IndexOf('?') + 1)..] : "";

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// An HTTP/1.1 server on a unix socket in a temporary directory that answers with canned responses, for testing
/// berth's client without a daemon. A handler gets the request and the connection's stream and writes the answer
/// (a full response, or a 101 and raw bytes for a hijacked attach). Dispose stops it and removes the directory.
/// </summary>
internal sealed class FakeDaemon : IDisposable
{
    readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-cli-test-{Guid.NewGuid():N}");
    readonly Socket _listener;
    readonly Func<FakeRequest, Stream, Socket, Task> _handler;
    readonly System.Net.Security.SslServerAuthenticationOptions? _tls;
    readonly CancellationTokenSource _stop = new();
    readonly List<FakeRequest> _requests = [];

    public FakeDaemon(Func<FakeRequest, Stream, Socket, Task> handler)
    {
        _handler = handler;
        Directory.CreateDirectory(_directory);
        Socket = Path.Combine(_directory, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Socket));
        _listener.Listen(16);
        _ = AcceptLoopAsync();
    }

    /// <summary>A fake daemon on loopback TCP with TLS (<paramref name="tls"/>), as berthd's -H tcp:// with --tlsverify.</summary>
    public FakeDaemon(Func<FakeRequest, Stream, Socket, Task> handler, System.Net.Security.SslServerAuthenticationOptions tls)
    {
        _handler = handler;
        _tls = tls;
        Directory.CreateDirectory(_directory);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        _listener.Listen(16);
        Socket = "";
        Port = ((System.Net.IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>A directory removed with the daemon (for certificates and the like).</summary>
    public string PathOf(string name) => Path.Combine(_directory, name);

    public string Socket { get; }

    public int Port { get; }

    /// <summary>Handshakes that failed on the server's side.</summary>
    public int FailedHandshakes;

    public Dictionary<string, string?> Environment => new() { ["BERTH_HOST"] = "unix://" + Socket };

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(Socket client)
    {
        using var _ = client;
        Stream stream = new NetworkStream(client, ownsSocket: false);
        try
        {
            if (_tls is not null)
            {
                var ssl = new System.Net.Security.SslStream(stream);
                try
                {
                    await ssl.AuthenticateAsServerAsync(_tls);
                }
                catch (System.Security.Authentication.AuthenticationException)
                {
                    Interlocked.Increment(ref FailedHandshakes);
                    return;
                }
                stream = ssl;
            }
            var request = await ReadRequestAsync(stream);
            if (request is null)
                return;
            lock (_requests)
                _requests.Add(request);
            await _handler(request, stream, client);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    static async Task<FakeRequest?> ReadRequestAsync(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Add(one[0]);
        }
        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var buffer = new byte[int.Parse(length)];
            await stream.ReadExactlyAsync(buffer);
            body.Write(buffer);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te == "chunked")
        {
            while (true)
            {
                string sizeLine = await ReadLineAsync(stream);
                int size = Convert.ToInt32(sizeLine.Trim(), 16);
                if (size == 0)
                {
                    await ReadLineAsync(stream);
                    break;
                }
                var chunk = new byte[size];
                await stream.ReadExactlyAsync(chunk);
                body.Write(chunk);
                await ReadLineAsync(stream);
            }
        }
        return new FakeRequest(requestLine[0], requestLine[1], headers, body.ToArray());
    }

    static async Task<string> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
            bytes.Add(one[0]);
        return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
    }

    /// <summary>A complete response with a body of known length.</summary>
    public static Task RespondAsync(Stream stream, int status, string body, string contentType = "application/json", string reason = "OK", string extraHeaders = "")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray()).AsTask();
    }

    /// <summary>The answer of a daemon at API 1.41 to /_ping.</summary>
    public static Task PingAsync(Stream stream, string version = "1.41") =>
        stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nApi-Version: {version}\r\nOstype: linux\r\nContent-Length: 0\r\n\r\n")).AsTask();

    /// <summary>One docker stdcopy frame.</summary>
    public static byte[] Frame(byte stream, string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = stream;
        frame[4] = (byte)(payload.Length >> 24);
        frame[5] = (byte)(payload.Length >> 16);
        frame[6] = (byte)(payload.Length >> 8);
        frame[7] = (byte)payload.Length;
        payload.CopyTo(frame, 8);
        return frame;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
