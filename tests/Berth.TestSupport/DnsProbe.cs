using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.TestSupport;

/// <summary>An answer as <see cref="DnsProbe"/> reads it.</summary>
public sealed record DnsReply(ushort Id, bool Truncated, int ResponseCode, IReadOnlyList<IPAddress> Addresses, int AnswerCount, int Length, bool HasOpt);

/// <summary>
/// A DNS client for tests, written apart from the engine's code so that it checks it: a query (with an EDNS0 OPT record
/// when asked), sent over UDP or TCP on a socket the test made (in a container's namespace, say), and the answer read
/// back: its flags, its A addresses, whether it carries an OPT record.
/// </summary>
public static class DnsProbe
{
    public const ushort TypeA = 1;
    const ushort TypeOpt = 41;

    /// <summary>A query with recursion desired; an OPT record offering <paramref name="udpSize"/> bytes when given.</summary>
    public static byte[] Query(string name, ushort id, ushort? udpSize = null, ushort type = TypeA)
    {
        var packet = new List<byte>();
        Add16(packet, id);
        Add16(packet, 0x0100);
        Add16(packet, 1);
        Add16(packet, 0);
        Add16(packet, 0);
        Add16(packet, (ushort)(udpSize is null ? 0 : 1));
        packet.AddRange(EncodeName(name));
        Add16(packet, type);
        Add16(packet, 1);
        if (udpSize is { } size)
            AddOpt(packet, size);
        return [.. packet];
    }

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public static void Add16(List<byte> packet, ushort value)
    {
        packet.Add((byte)(value >> 8));
        packet.Add((byte)value);
    }

    /// <summary>An OPT pseudo-record: root owner, the UDP payload size in its class, no options.</summary>
    public static void AddOpt(List<byte> packet, ushort udpSize)
    {
        packet.Add(0);
        Add16(packet, TypeOpt);
        Add16(packet, udpSize);
        Add16(packet, 0);
        Add16(packet, 0);
        Add16(packet, 0);
    }

    /// <summary>The query's name, lower-cased, and its ID; null when the packet is not a query with one question.</summary>
    public static (string Name, ushort Id)? ReadQuestion(ReadOnlySpan<byte> packet, out int questionEnd)
    {
        questionEnd = 0;
        if (packet.Length < 12 || (packet[2] & 0x80) != 0 || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1)
            return null;
        var name = new StringBuilder();
        int at = 12;
        while (at < packet.Length && packet[at] != 0)
        {
            int length = packet[at];
            if (at + 1 + length > packet.Length)
                return null;
            name.Append(name.Length > 0 ? "." : "").Append(Encoding.ASCII.GetString(packet.Slice(at + 1, length)));
            at += 1 + length;
        }
        questionEnd = at + 5;
        return questionEnd > packet.Length ? null : (name.ToString().ToLowerInvariant(), BinaryPrimitives.ReadUInt16BigEndian(packet));
    }

    public static DnsReply Parse(ReadOnlySpan<byte> message)
    {
        Assert.True(message.Length >= 12, $"a DNS message of {message.Length} bytes");
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        bool truncated = (message[2] & 0x02) != 0;
        int code = message[3] & 0x0F;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int others = BinaryPrimitives.ReadUInt16BigEndian(message[8..]) + BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        int at = 12;
        for (int i = 0; i < questions; i++)
            at = SkipName(message, at) + 4;
        var addresses = new List<IPAddress>();
        bool opt = false;
        for (int i = 0; i < answers + others; i++)
        {
            at = SkipName(message, at);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            at += 10;
            Assert.True(at + length <= message.Length, "a record runs past the end of the message");
            if (i < answers && type == TypeA && length == 4)
                addresses.Add(new IPAddress(message.Slice(at, 4)));
            opt |= i >= answers && type == TypeOpt;
            at += length;
        }
        Assert.Equal(message.Length, at);
        return new DnsReply(id, truncated, code, addresses, answers, message.Length, opt);
    }

    static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        while (message[at] != 0)
        {
            if ((message[at] & 0xC0) == 0xC0)
                return at + 2;
            at += 1 + message[at];
        }
        return at + 1;
    }

    /// <summary>Sends the query on a connected UDP socket and reads the answer; the bound only guards against hanging.</summary>
    public static async Task<DnsReply> OverUdpAsync(Socket socket, byte[] query)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(query, SocketFlags.None, bound.Token);
        var buffer = new byte[ushort.MaxValue];
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
        return Parse(buffer.AsSpan(0, n));
    }

    /// <summary>Sends the query, framed, on a connected TCP socket and reads one framed answer.</summary>
    public static async Task<DnsReply> OverTcpAsync(Socket socket, byte[] query)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, bound.Token);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, bound.Token);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(answer, bound.Token);
        return Parse(answer);
    }

    /// <summary>A UDP socket made in <paramref name="inside"/>'s namespace (the caller's own when null), connected to the server.</summary>
    public static Socket Udp(IPEndPoint server, Berth.Linux.Net.NetworkNamespace? inside = null) =>
        Make(inside, () => Connected(new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp), server));

    /// <summary>A TCP connection to the server, made from <paramref name="inside"/>'s namespace (the caller's own when null).</summary>
    public static Socket Tcp(IPEndPoint server, Berth.Linux.Net.NetworkNamespace? inside = null) =>
        Make(inside, () => Connected(new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp), server));

    static Socket Make(Berth.Linux.Net.NetworkNamespace? inside, Func<Socket> make) => inside is null ? make() : inside.Run(make);

    static Socket Connected(Socket socket, IPEndPoint server)
    {
        try
        {
            socket.Connect(server);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
