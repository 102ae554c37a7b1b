using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// The TCP side: connections from the container, each with its queries one after the other (length-prefixed), closed
/// when idle or after as many queries as Docker's resolver (miekg/dns) answers on one connection.
/// </summary>
public sealed partial class EmbeddedDns
{
    /// <summary>How long a connection may wait for its next query, or an answer for its client to read: miekg/dns's idle timeout.</summary>
    static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(8);

    /// <summary>miekg/dns's default: one client cannot hold a connection, and its task, forever.</summary>
    const int QueriesPerConnection = 128;

    /// <summary>A pause after a failed accept (out of descriptors), so that the loop does not spin on the same failure.</summary>
    static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    readonly TimeSpan _idleTimeout;

    /// <summary>The open connections, closed by Dispose; guarded by itself, with <see cref="_closed"/>.</summary>
    readonly HashSet<Socket> _connections = [];
    bool _closed;

    static Socket ListenTcp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // .NET binds TCP with SO_REUSEADDR on Linux: connections a killed daemon left in TIME_WAIT on 127.0.0.11:53
            // do not keep the next one from listening there.
            socket.Bind(new IPEndPoint(Address, 53));
            socket.Listen();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    async Task AcceptTcpAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp.AcceptAsync(_stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                try
                {
                    await Task.Delay(AcceptRetryDelay, _stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            if (!Track(connection))
            {
                connection.Dispose();
                return;
            }
            _ = ServeConnectionAsync(connection);
        }
    }

    async Task ServeConnectionAsync(Socket connection)
    {
        try
        {
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            for (int i = 0; i < QueriesPerConnection; i++)
            {
                byte[]? query;
                using (var idle = Deadline())
                    query = await DnsTcpFraming.ReadAsync(stream, idle.Token);
                if (query is null || await AnswerAsync(query, overTcp: true) is not { } answer)
                    return;
                using (var idle = Deadline())
                    await DnsTcpFraming.WriteAsync(stream, answer, idle.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException or InvalidDataException)
        {
            // Idle, closed by the client or by Dispose, or not speaking DNS: the connection ends here.
        }
        finally
        {
            lock (_connections)
                _connections.Remove(connection);
            connection.Dispose();
        }
    }

    CancellationTokenSource Deadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        deadline.CancelAfter(_idleTimeout);
        return deadline;
    }

    /// <summary>False once Dispose has run: a connection accepted in that instant is closed rather than served.</summary>
    bool Track(Socket connection)
    {
        lock (_connections)
            return !_closed && _connections.Add(connection);
    }
}
