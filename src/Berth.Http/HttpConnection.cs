using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace Berth.Http;

/// <summary>
/// One accepted connection: its TLS handshake, a pump that moves whatever the client sends into an input pipe, and
/// the loop that serves requests from that pipe one after another (keep-alive, in HttpConnection.Requests.cs). The pump is always reading, so a
/// client that goes away is noticed at once, also while a handler streams a response, and that fires the request's
/// <see cref="HttpContext.Aborted"/>. After a hijack the pipe keeps feeding the <see cref="HijackedStream"/>.
/// Writes go straight to the transport: every response write reaches the client when the call completes.
/// </summary>
internal sealed partial class HttpConnection
{
    /// <summary>The largest socket read: big bodies (image loads) arrive in few reads.</summary>
    const int ReadSize = 16 * 1024;

    static readonly PipeOptions InputOptions = new(
        pauseWriterThreshold: RequestHeadParser.MaxHeadBytes + 64 * 1024,
        resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: ReadSize,
        useSynchronizationContext: false);

    static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Go's <c>rstAvoidanceDelay</c>: how long a closing connection waits for the client after it shut down writing.</summary>
    static readonly TimeSpan LingerAfterShutdown = TimeSpan.FromMilliseconds(500);

    readonly HttpServer _server;
    readonly Socket _socket;
    readonly SslServerAuthenticationOptions? _tls;
    readonly Pipe _input = new(InputOptions);
    readonly Lock _gate = new();
    Stream _transport = Stream.Null;
    Task _pump = Task.CompletedTask;
    CancellationTokenSource? _requestAborted;
    HttpResponse? _response;
    bool _idle = true;
    bool _inputEnded;
    bool _aborted;
    bool _hijacked;

    public HttpConnection(HttpServer server, Socket socket, SslServerAuthenticationOptions? tls)
    {
        _server = server;
        _socket = socket;
        _tls = tls;
    }

    public PipeReader Input => _input.Reader;

    public Stream Transport => _transport;

    public HttpServer Server => _server;

    public async Task RunAsync()
    {
        try
        {
            if (await EstablishAsync().ConfigureAwait(false))
            {
                _pump = PumpAsync();
                await ServeRequestsAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // The client went away or the server closed the connection; nothing to report.
        }
        catch (Exception ex)
        {
            _server.Log($"connection from {Describe(_socket)}: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    async Task<bool> EstablishAsync()
    {
        var network = new NetworkStream(_socket, ownsSocket: false);
        if (_tls is null)
        {
            _transport = network;
            return true;
        }
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            using var timeout = new CancellationTokenSource(HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(_tls, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _server.Log($"TLS handshake with {Describe(_socket)} failed: {ex.Message}");
            await ssl.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        _transport = ssl;
        return true;
    }

    async Task PumpAsync()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                // Wait for data before taking a buffer, so that an idle keep-alive connection holds no memory.
                await _transport.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                int n = await _transport.ReadAsync(writer.GetMemory(ReadSize)).ConfigureAwait(false);
                if (n == 0)
                    break;
                writer.Advance(n);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                    break;
            }
        }
        catch (Exception ex)
        {
            error = ex as IOException ?? new IOException($"the connection was closed: {ex.Message}", ex);
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
        CancellationTokenSource? abort;
        lock (_gate)
        {
            _inputEnded = true;
            abort = _hijacked ? null : _requestAborted;
        }
        Cancel(abort);
    }

    /// <summary>The current request's abort token: cancelled when the client goes away or the server aborts the connection.</summary>
    public CancellationToken RequestAborted
    {
        get
        {
            CancellationTokenSource abort;
            bool cancelNow;
            lock (_gate)
            {
                abort = _requestAborted ??= new CancellationTokenSource();
                cancelNow = _aborted || (_inputEnded && !_hijacked);
            }
            if (cancelNow)
                Cancel(abort);
            return abort.Token;
        }
    }

    /// <summary>The handler owns the connection now: the end of its input is the stream's business, not an abort.</summary>
    public void MarkHijacked()
    {
        lock (_gate)
            _hijacked = true;
    }

    /// <summary>Closes the connection if it is waiting for a request; true when it did.</summary>
    public bool CloseIfIdle()
    {
        lock (_gate)
        {
            if (!_idle)
                return false;
        }
        Abort();
        return true;
    }

    /// <summary>Closes the connection at once: pending reads and writes fail, the request's abort token fires.</summary>
    public void Abort()
    {
        CancellationTokenSource? abort;
        lock (_gate)
        {
            _aborted = true;
            abort = _requestAborted;
        }
        try
        {
            _socket.Dispose();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        Cancel(abort);
    }

    /// <summary>Half-closes: the client reads end of file while this side can still read what it sends.</summary>
    public async ValueTask CloseWriteAsync()
    {
        if (_transport is SslStream ssl)
            await ssl.ShutdownAsync().ConfigureAwait(false);
        _socket.Shutdown(SocketShutdown.Send);
    }

    async Task CloseAsync()
    {
        bool aborted;
        lock (_gate)
            aborted = _aborted;
        if (!aborted)
        {
            // As Go's closeWriteAndWait: the response's end (FIN, after TLS close_notify) goes first, and the client gets
            // a moment to read it and close its side. Disposing a socket with a read pending makes .NET reset the
            // connection (SO_LINGER 0), and a reset throws away whatever of the response the client has not read yet
            // (a blob of megabytes to a client that asked for Connection: close): the pump must end before the socket does.
            try
            {
                await CloseWriteAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Written or not, the read side still has to end quietly.
            }
            try
            {
                await _pump.WaitAsync(LingerAfterShutdown).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The client took longer, or its side failed: the pump is ended below.
            }
        }
        // A pump parked on a full pipe (a body nobody will read) is released by completing the reader, one parked in a
        // read by shutting the receiving side.
        await Input.CompleteAsync().ConfigureAwait(false);
        if (!_pump.IsCompleted)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Receive);
                await _pump.WaitAsync(LingerAfterShutdown).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Then the socket goes with a reset; nothing more can be done for the client.
            }
        }
        try
        {
            _transport.Dispose();
        }
        catch (Exception)
        {
            // A transport that fails to close is closed all the same.
        }
        Abort();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Its failure is the connection's end, already handled.
        }
    }

    static void Cancel(CancellationTokenSource? abort)
    {
        if (abort is null)
            return;
        try
        {
            abort.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's cancellation callback failed; the cancellation itself happened.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal static bool IsDisconnect(Exception ex) => ex is IOException and not BadHttpRequestException
        or SocketException or ObjectDisposedException;

    static string Describe(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() is { Length: > 0 } remote ? remote : "a local client";
        }
        catch (Exception)
        {
            return "a client";
        }
    }
}
