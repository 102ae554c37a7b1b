using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Http.Tests;

/// <summary>A response as read off the wire.</summary>
sealed record RawResponse(string StatusLine, string Head, Dictionary<string, string> Headers, byte[] Body)
{
    public int Status => int.Parse(StatusLine.Split(' ')[1]);

    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// A client that speaks HTTP by hand over a socket, to send what HttpClient will not (malformed requests, upgrades,
/// half-closes) and to see exactly what the server writes. Every read is bounded so that a broken server fails the
/// test instead of hanging it.
/// </summary>
sealed class RawConnection : IAsyncDisposable
{
    static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    readonly byte[] _buffer = new byte[64 * 1024];
    int _start;
    int _end;

    RawConnection(Socket socket, Stream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    public Socket Socket { get; }

    public Stream Stream { get; }

    public static async Task<RawConnection> ConnectUnixAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new RawConnection(socket, new NetworkStream(socket, ownsSocket: false));
    }

    public static RawConnection Over(Socket socket, Stream stream) => new(socket, stream);

    public static async Task<RawConnection> ConnectTcpAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return new RawConnection(socket, new NetworkStream(socket, ownsSocket: false));
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await Stream.WriteAsync(bytes);

    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads up to and including the empty line that ends a head.</summary>
    public async Task<string> ReadHeadAsync()
    {
        while (true)
        {
            int end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                string head = Encoding.UTF8.GetString(_buffer, _start, end + 4);
                _start += end + 4;
                return head;
            }
            if (await FillAsync() == 0)
                throw new EndOfStreamException($"the connection ended inside a response head: {Encoding.UTF8.GetString(_buffer, _start, _end - _start)}");
        }
    }

    /// <summary>Reads one whole response; <paramref name="head"/> says the request was HEAD (no body follows).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        string text = await ReadHeadAsync();
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }
        int status = int.Parse(lines[0].Split(' ')[1]);
        byte[] body;
        if (head || status is 204 or 304 or < 200)
            body = [];
        else if (headers.TryGetValue("Content-Length", out string? length))
            body = await ReadExactlyAsync(int.Parse(length));
        else if (headers.TryGetValue("Transfer-Encoding", out string? te) && te == "chunked")
            body = await ReadChunkedAsync();
        else
            body = await ReadToEndAsync();
        return new RawResponse(lines[0], text, headers, body);
    }

    async Task<byte[]> ReadChunkedAsync()
    {
        var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync();
            int size = Convert.ToInt32(sizeLine, 16);
            if (size == 0)
            {
                Assert.Equal("", await ReadLineAsync());
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size));
            Assert.Equal("", await ReadLineAsync());
        }
    }

    /// <summary>One chunk of a chunked body: its data, or null for the last chunk.</summary>
    public async Task<byte[]?> ReadChunkAsync()
    {
        int size = Convert.ToInt32(await ReadLineAsync(), 16);
        if (size == 0)
        {
            Assert.Equal("", await ReadLineAsync());
            return null;
        }
        byte[] data = await ReadExactlyAsync(size);
        Assert.Equal("", await ReadLineAsync());
        return data;
    }

    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            int lf = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (lf >= 0)
            {
                string line = Encoding.UTF8.GetString(_buffer, _start, lf);
                _start += lf + 2;
                return line;
            }
            if (await FillAsync() == 0)
                throw new EndOfStreamException("the connection ended inside a line");
        }
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        int got = 0;
        while (got < count)
        {
            if (_start == _end && await FillAsync() == 0)
                throw new EndOfStreamException($"the connection ended after {got} of {count} bytes");
            int n = Math.Min(count - got, _end - _start);
            Array.Copy(_buffer, _start, result, got, n);
            _start += n;
            got += n;
        }
        return result;
    }

    public async Task<byte[]> ReadToEndAsync()
    {
        var all = new MemoryStream();
        while (true)
        {
            if (_start == _end && await FillAsync() == 0)
                return all.ToArray();
            all.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
    }

    /// <summary>True when the server has closed its sending side (or the whole connection) and nothing is left to read.</summary>
    public async Task<bool> AtEndAsync()
    {
        if (_start < _end)
            return false;
        try
        {
            return await FillAsync() == 0;
        }
        catch (IOException)
        {
            return true; // reset: closed as well
        }
    }

    async Task<int> FillAsync()
    {
        if (_start == _end)
            _start = _end = 0;
        if (_end == _buffer.Length)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        using var timeout = new CancellationTokenSource(ReadTimeout);
        int n = await Stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
        _end += n;
        return n;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        Socket.Dispose();
    }
}
