using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Client;

/// <summary>
/// One connection to berthd (unix socket, TCP, or TCP with TLS) with a read buffer: response heads are read line by
/// line from it and whatever follows them is handed to the body stream, so nothing read ahead is lost (a hijacked
/// attach stream may start in the same packet as its 101 response).
/// </summary>
internal sealed class Connection : Stream
{
    readonly Socket _socket;
    readonly Stream _transport;
    readonly byte[] _buffer = new byte[16 * 1024];
    int _start;
    int _end;

    Connection(Socket socket, Stream transport)
    {
        _socket = socket;
        _transport = transport;
    }

    public static async Task<Connection> OpenAsync(DaemonEndpoint endpoint, TlsSettings? tls, CancellationToken ct)
    {
        Socket socket = endpoint.IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.IsUnix)
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.Path), ct).ConfigureAwait(false);
            else
            {
                socket.NoDelay = true;
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, ct).ConfigureAwait(false);
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new DaemonUnreachableException(endpoint, e);
        }
        Stream transport = new NetworkStream(socket, ownsSocket: false);
        if (tls is not null)
        {
            var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(tls.ClientOptions(endpoint.Host), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                socket.Dispose();
                throw new DaemonUnreachableException($"error during connect: TLS handshake with {endpoint} failed: {e.Message}");
            }
            transport = ssl;
        }
        return new Connection(socket, transport);
    }

    /// <summary>One line of a response head without its CR LF; null at the end of the stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                return line.Length == 0 ? null : line.ToString();
            int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = nl < 0 ? _end : nl;
            line.Append(Encoding.Latin1.GetString(_buffer, _start, stop - _start));
            if (line.Length > 64 * 1024)
                throw new IOException("response header line too long");
            if (nl >= 0)
            {
                _start = nl + 1;
                if (line.Length > 0 && line[^1] == '\r')
                    line.Length--;
                return line.ToString();
            }
            _start = _end;
        }
    }

    async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await _transport.ReadAsync(_buffer, ct).ConfigureAwait(false);
        return _end > 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        if (_start < _end)
        {
            int n = Math.Min(destination.Length, _end - _start);
            _buffer.AsMemory(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }
        return await _transport.ReadAsync(destination, ct).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken ct = default) => _transport.WriteAsync(source, ct);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _transport.WriteAsync(buffer, offset, count, ct);

    public override void Write(byte[] buffer, int offset, int count) => _transport.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken ct) => _transport.FlushAsync(ct);

    public override void Flush() => _transport.Flush();

    /// <summary>Half-closes the connection: the daemon sees the end of stdin while output keeps flowing.</summary>
    public async Task CloseWriteAsync()
    {
        try
        {
            if (_transport is SslStream ssl)
                await ssl.ShutdownAsync().ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The daemon closed first: nothing left to tell it.
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _transport.Dispose();
            _socket.Dispose();
        }
        base.Dispose(disposing);
    }
}
