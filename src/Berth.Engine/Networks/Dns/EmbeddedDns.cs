using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// Docker's embedded DNS server for one container on user-defined networks, at 127.0.0.11:53 inside the container's
/// network namespace, over UDP and TCP: the engine opens both sockets in that namespace (no NAT rule needed) and
/// serves them from its own threads. Names of the containers it shares a network with (names, aliases, short IDs;
/// several containers behind one alias answer in turn) are answered here; other names are forwarded to the upstream
/// servers from the host. Names answer A and, on networks with IPv6, AAAA queries. An answer too big for a UDP client is cut with TC set, so that the client asks over TCP.
/// </summary>
/// <remarks>
/// Dispose closes both sockets and every open TCP connection at once; the tasks serving them end on their own, as soon
/// as what they await fails or is cancelled. Dispose does not wait for them: it runs under the network service's lock,
/// which an answer in progress may be waiting for.
/// </remarks>
public sealed partial class EmbeddedDns : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");

    readonly Socket _udp;
    readonly Socket _tcp;
    readonly Func<string, IReadOnlyList<IPAddress>?> _resolve;
    readonly Func<IPAddress, string?> _reverse;
    readonly DnsForwarder _forwarder;
    // Never disposed: tasks still winding down after Dispose read its token.
    readonly CancellationTokenSource _stop = new();
    readonly CancellationToken _stopping;

    EmbeddedDns(Socket udp, Socket tcp, Func<string, IReadOnlyList<IPAddress>?> resolve, Func<IPAddress, string?> reverse,
        IReadOnlyList<IPEndPoint> upstream, TimeSpan idleTimeout)
    {
        _udp = udp;
        _tcp = tcp;
        _resolve = resolve;
        _reverse = reverse;
        _forwarder = new DnsForwarder(upstream);
        _idleTimeout = idleTimeout;
        _stopping = _stop.Token;
    }

    /// <param name="resolve">A name to its addresses, or null when no container has it (then it is forwarded).</param>
    /// <param name="reverse">An address of a container to its name, for PTR queries.</param>
    public static EmbeddedDns Start(NetworkNamespace ns, Func<string, IReadOnlyList<IPAddress>?> resolve, Func<IPAddress, string?> reverse, IReadOnlyList<IPEndPoint> upstream) =>
        Start(ns, resolve, reverse, upstream, DefaultIdleTimeout);

    internal static EmbeddedDns Start(NetworkNamespace ns, Func<string, IReadOnlyList<IPAddress>?> resolve, Func<IPAddress, string?> reverse,
        IReadOnlyList<IPEndPoint> upstream, TimeSpan idleTimeout)
    {
        var (udp, tcp) = ns.Run(() =>
        {
            var udp = BindUdp();
            try
            {
                return (udp, ListenTcp());
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        });
        var server = new EmbeddedDns(udp, tcp, resolve, reverse, upstream, idleTimeout);
        _ = server.ServeUdpAsync();
        _ = server.AcceptTcpAsync();
        return server;
    }

    /// <summary>
    /// The answer to a query from the container, cut to what its transport takes; null when there is nothing to send
    /// (the server is stopping).
    /// </summary>
    async Task<byte[]?> AnswerAsync(byte[] query, bool overTcp)
    {
        byte[]? answer = Local(query) ?? await ForwardAsync(query, overTcp);
        if (answer is null)
            return null;
        return DnsMessage.Truncate(answer, overTcp ? DnsMessage.TcpMaxSize : DnsMessage.UdpLimit(query));
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
        // A known name answers A with its IPv4 addresses and AAAA with its IPv6 ones (none on IPv4-only networks);
        // other types get an empty answer, not a forwarded one.
        var family = type switch
        {
            DnsMessage.TypeA => AddressFamily.InterNetwork,
            DnsMessage.TypeAaaa => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        return DnsMessage.Answer(query, end, DnsMessage.ResponseCode.NoError, Shuffled([.. found.Where(a => a.AddressFamily == family)]));
    }

    /// <summary>Shuffled before any cut, so that a UDP client that gets only some of many addresses gets others next time.</summary>
    static IReadOnlyList<IPAddress> Shuffled(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count < 2)
            return addresses;
        var copy = addresses.ToArray();
        Random.Shared.Shuffle(copy);
        return copy;
    }

    async Task<byte[]?> ForwardAsync(byte[] query, bool overTcp)
    {
        if (await _forwarder.ForwardAsync(query, overTcp, _stopping) is { } answer)
            return answer;
        if (_stopping.IsCancellationRequested || !DnsMessage.TryReadQuestion(query, out _, out _, out int end))
            return null;
        return DnsMessage.Answer(query, end, DnsMessage.ResponseCode.ServerFailure, []);
    }

    public void Dispose()
    {
        Socket[] connections;
        lock (_connections)
        {
            _closed = true;
            connections = [.. _connections];
            _connections.Clear();
        }
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        foreach (var connection in connections)
            connection.Dispose();
    }
}
