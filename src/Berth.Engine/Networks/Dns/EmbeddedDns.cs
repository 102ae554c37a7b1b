using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// Docker's embedded DNS server for one container on user-defined networks, at 127.0.0.11:53 inside the container's
/// network namespace: the engine opens the socket in that namespace (no NAT rule needed) and serves it from its own
/// threads. Names of the containers it shares a network with (names, aliases, short IDs; several containers behind
/// one alias answer in turn) are answered here; other names are forwarded to the upstream servers from the host.
/// </summary>
public sealed class EmbeddedDns : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");

    readonly Socket _udp;
    readonly Func<string, IReadOnlyList<IPAddress>?> _resolve;
    readonly Func<IPAddress, string?> _reverse;
    readonly IReadOnlyList<IPEndPoint> _upstream;
    readonly CancellationTokenSource _stop = new();

    EmbeddedDns(Socket udp, Func<string, IReadOnlyList<IPAddress>?> resolve, Func<IPAddress, string?> reverse, IReadOnlyList<IPEndPoint> upstream)
    {
        _udp = udp;
        _resolve = resolve;
        _reverse = reverse;
        _upstream = upstream;
    }

    /// <param name="resolve">A name to its addresses, or null when no container has it (then it is forwarded).</param>
    /// <param name="reverse">An address of a container to its name, for PTR queries.</param>
    public static EmbeddedDns Start(NetworkNamespace ns, Func<string, IReadOnlyList<IPAddress>?> resolve, Func<IPAddress, string?> reverse, IReadOnlyList<IPEndPoint> upstream)
    {
        var udp = ns.Run(() =>
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
        });
        var server = new EmbeddedDns(udp, resolve, reverse, upstream);
        _ = server.ServeAsync();
        return server;
    }

    async Task ServeAsync()
    {
        var buffer = new byte[1500];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return;
                continue;
            }
            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            _ = AnswerAsync(query, received.RemoteEndPoint);
        }
    }

    async Task AnswerAsync(byte[] query, EndPoint client)
    {
        try
        {
            byte[]? answer = Local(query) ?? await ForwardAsync(query);
            if (answer is not null)
                await _udp.SendToAsync(answer, SocketFlags.None, client, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The container went away, or its resolver did: the query is dropped and retried by the client.
        }
    }

    /// <summary>The answer from the containers' names, or null to forward the query.</summary>
    byte[]? Local(byte[] query)
    {
        if (!DnsMessage.TryReadQuestion(query, out string name, out ushort type, out int end))
            return null;
        if (type == DnsMessage.TypePtr && DnsMessage.ReverseAddress(name) is { } address)
            return _reverse(address) is { } owner ? DnsMessage.Answer(query, end, DnsMessage.ResponseCode.NoError, [], owner) : null;
        var found = _resolve(name);
        if (found is null)
            return null;
        // A known name has only IPv4 addresses: other types get an empty answer, not a forwarded one.
        return DnsMessage.Answer(query, end, DnsMessage.ResponseCode.NoError, type == DnsMessage.TypeA ? Shuffled(found) : []);
    }

    static IReadOnlyList<IPAddress> Shuffled(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count < 2)
            return addresses;
        var copy = addresses.ToArray();
        Random.Shared.Shuffle(copy);
        return copy;
    }

    async Task<byte[]?> ForwardAsync(byte[] query)
    {
        foreach (var server in _upstream)
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await socket.SendToAsync(query, SocketFlags.None, server, timeout.Token);
                var buffer = new byte[4096];
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                return buffer[..n];
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return null;
            }
        }
        if (!DnsMessage.TryReadQuestion(query, out _, out _, out int end))
            return null;
        return DnsMessage.Answer(query, end, DnsMessage.ResponseCode.ServerFailure, []);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }
}
