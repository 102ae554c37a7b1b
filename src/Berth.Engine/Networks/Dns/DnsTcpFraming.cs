using System.Buffers.Binary;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message behind its length in two bytes, big-endian, and several
/// messages one after another on one connection.
/// </summary>
public static class DnsTcpFraming
{
    /// <summary>The next message; null when the peer closed the connection between two messages.</summary>
    /// <exception cref="EndOfStreamException">The connection ended inside a message.</exception>
    /// <exception cref="InvalidDataException">A message of length 0, which no DNS message has.</exception>
    public static async ValueTask<byte[]?> ReadAsync(Stream stream, CancellationToken cancellation)
    {
        var prefix = new byte[2];
        int read = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellation);
        if (read == 0)
            return null;
        if (read < prefix.Length)
            throw new EndOfStreamException("DNS over TCP: the connection ended inside a message's length");
        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length == 0)
            throw new InvalidDataException("DNS over TCP: a message of length 0");
        var message = new byte[length];
        read = await stream.ReadAtLeastAsync(message, length, throwOnEndOfStream: false, cancellation);
        if (read < length)
            throw new EndOfStreamException($"DNS over TCP: the connection ended after {read} of a message's {length} bytes");
        return message;
    }

    /// <exception cref="ArgumentException">A message longer than the length prefix can say (<see cref="DnsMessage.TcpMaxSize"/>).</exception>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellation)
    {
        if (message.Length is 0 or > DnsMessage.TcpMaxSize)
            throw new ArgumentException($"DNS over TCP: a message of {message.Length} bytes cannot be framed", nameof(message));
        // One buffer, so that the length and its message leave in one segment rather than as a two-byte packet first.
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsMemory(2));
        await stream.WriteAsync(framed, cancellation);
    }
}
