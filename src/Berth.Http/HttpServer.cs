using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Berth.Linux;

namespace Berth.Http;

/// <summary>
/// berthd's HTTP/1.1 server, shaped like Go's net/http as dockerd uses it: keep-alive connections served one request
/// at a time, chunked request bodies, streamed responses, and hijacked connections (attach, exec) with half-close,
/// which Kestrel cannot do for a request with a body. Listens on unix sockets and TCP, optionally with (mutual) TLS.
/// <para>
/// Lifecycle: <c>Listen*</c> binds (errors surface there), <see cref="StartAsync"/> starts accepting,
/// <see cref="StopAsync"/> stops accepting, closes idle connections, gives in-flight requests
/// <see cref="ShutdownTimeout"/> to finish and then aborts the rest (their <see cref="HttpContext.Aborted"/> fires).
/// Long-lived streams (events, logs with follow) should also watch <see cref="Stopping"/> to end on their own.
/// </para>
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    sealed record Listener(Socket Socket, SslServerAuthenticationOptions? Tls, string? UnixPath);

    readonly Action<string>? _log;
    readonly List<Listener> _listeners = [];
    readonly List<Task> _acceptLoops = [];
    /// <summary>Open connections and the task serving each (null for the moment between accept and start).</summary>
    readonly Dictionary<HttpConnection, Task?> _connections = [];
    readonly CancellationTokenSource _stopping = new();
    volatile bool _isStopping;
    bool _started;
    Task? _stopTask;

    public HttpServer(RequestHandler handler, Action<string>? log = null)
    {
        Handler = handler;
        _log = log;
    }

    /// <summary>How long <see cref="StopAsync"/> lets in-flight requests finish before it aborts them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Cancelled when <see cref="StopAsync"/> begins.</summary>
    public CancellationToken Stopping => _stopping.Token;

    internal RequestHandler Handler { get; }

    internal bool IsStopping => _isStopping;

    internal void Log(string message) => _log?.Invoke(message);

    /// <summary>
    /// Binds a unix socket at <paramref name="path"/>: creates its directory, removes a stale socket left there (and
    /// refuses anything that is not a socket), and gives it <paramref name="mode"/>. The file is removed at stop.
    /// </summary>
    public void ListenUnix(string path, UnixFileMode mode)
    {
        string full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        RemoveStaleSocket(full);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(full));
            File.SetUnixFileMode(full, mode);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        AddListener(new Listener(socket, null, full));
    }

    /// <summary>Binds a TCP endpoint (port 0 picks one); returns the bound endpoint.</summary>
    public IPEndPoint ListenTcp(IPEndPoint endpoint, ServerTls? tls)
    {
        var options = tls?.CreateAuthenticationOptions();
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        AddListener(new Listener(socket, options, null));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Serves on a socket that is already listening (systemd socket activation, dockerd's <c>-H fd://</c>).</summary>
    public void ListenSocket(Socket listening, ServerTls? tls) =>
        AddListener(new Listener(listening, tls?.CreateAuthenticationOptions(), null));

    void AddListener(Listener listener)
    {
        lock (_connections)
        {
            if (_isStopping)
            {
                listener.Socket.Dispose();
                throw new InvalidOperationException("the server is stopping");
            }
            _listeners.Add(listener);
            if (_started)
                _acceptLoops.Add(AcceptLoopAsync(listener));
        }
    }

    static void RemoveStaleSocket(string path)
    {
        FileStatus status;
        try
        {
            status = FileStatus.Of(path, followSymlinks: false);
        }
        catch (LinuxException)
        {
            return; // nothing there
        }
        if (status.Type != FileStatus.S_IFSOCK)
            throw new IOException($"cannot listen on {path}: it exists and is not a socket");
        File.Delete(path);
    }

    /// <summary>Starts accepting on every listener bound so far, and on those bound later at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_connections)
        {
            if (_started)
                throw new InvalidOperationException("the server has already started");
            if (_isStopping)
                throw new InvalidOperationException("the server is stopping");
            _started = true;
            foreach (var listener in _listeners)
                _acceptLoops.Add(AcceptLoopAsync(listener));
        }
        return Task.CompletedTask;
    }

    async Task AcceptLoopAsync(Listener listener)
    {
        await Task.Yield();
        while (!_isStopping)
        {
            Socket socket;
            try
            {
                socket = await listener.Socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_isStopping)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue; // the client gave up while queued
            }
            catch (Exception ex)
            {
                // Out of descriptors and the like: report, breathe, go on, as Go's Serve does.
                Log($"accept on {listener.UnixPath ?? listener.Socket.LocalEndPoint?.ToString()}: {ex.Message}");
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            if (listener.UnixPath is null)
                socket.NoDelay = true;
            var connection = new HttpConnection(this, socket, listener.Tls);
            lock (_connections)
            {
                if (_isStopping)
                {
                    socket.Dispose();
                    return;
                }
                _connections.Add(connection, null);
            }
            var run = Task.Run(connection.RunAsync);
            lock (_connections)
                _connections[connection] = run;
            // Registered after the task is recorded, so that the entry is never forgotten before it is written.
            _ = run.ContinueWith(_ => Forget(connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    void Forget(HttpConnection connection)
    {
        lock (_connections)
            _connections.Remove(connection);
    }

    /// <summary>Stops the server; see the class summary for the order. Calling it again returns the same stop.</summary>
    public Task StopAsync()
    {
        // Run outside the lock: cancelling Stopping runs handlers' callbacks.
        lock (_connections)
            return _stopTask ??= Task.Run(StopCoreAsync);
    }

    async Task StopCoreAsync()
    {
        List<Listener> listeners;
        Task[] acceptLoops;
        lock (_connections)
        {
            _isStopping = true;
            listeners = [.. _listeners];
            acceptLoops = [.. _acceptLoops];
        }
        _stopping.Cancel();
        foreach (var listener in listeners)
        {
            listener.Socket.Dispose();
            if (listener.UnixPath is not null)
            {
                try
                {
                    RemoveStaleSocket(listener.UnixPath);
                }
                catch (IOException)
                {
                    // Something else took the path since; leave it.
                }
            }
        }
        try
        {
            await Task.WhenAll(acceptLoops).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Accept loops end by failing once their socket is closed.
        }

        foreach (var connection in Snapshot())
            connection.CloseIfIdle();
        var inFlight = RunningTasks();
        try
        {
            await Task.WhenAll(inFlight).WaitAsync(ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var connection in Snapshot())
                connection.Abort();
        }
        try
        {
            await Task.WhenAll(RunningTasks()).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Connections report their own failures.
        }
    }

    HttpConnection[] Snapshot()
    {
        lock (_connections)
            return [.. _connections.Keys];
    }

    Task[] RunningTasks()
    {
        lock (_connections)
            return [.. _connections.Values.OfType<Task>()];
    }

    /// <summary>Stops the server. <see cref="Stopping"/> stays readable afterwards (its source holds nothing to release).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
