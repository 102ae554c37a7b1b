using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// The little of RFC 1035 the embedded DNS server needs: a query's single question read from the wire, and an
/// answer to it written with its A and AAAA (or PTR) records. Names are compared lower-cased, without the final dot.
/// </summary>
public static partial class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;
    const ushort ClassIn = 1;
    const int HeaderLength = 12;

    public enum ResponseCode : byte { NoError = 0, FormatError = 1, ServerFailure = 2, NameError = 3, Refused = 5 }

    /// <summary>A query's question; false when the packet is not a standard query with exactly one question.</summary>
    public static bool TryReadQuestion(ReadOnlySpan<byte> packet, out string name, out ushort type, out int questionEnd)
    {
        name = "";
        type = 0;
        questionEnd = 0;
        if (packet.Length < HeaderLength)
            return false;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        bool isResponse = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xF;
        if (isResponse || opcode != 0 || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1)
            return false;
        var text = new StringBuilder();
        int at = HeaderLength;
        while (true)
        {
            if (at >= packet.Length)
                return false;
            int length = packet[at++];
            if (length == 0)
                break;
            if (length > 63 || at + length > packet.Length)
                return false;
            if (text.Length > 0)
                text.Append('.');
            text.Append(Encoding.ASCII.GetString(packet.Slice(at, length)).ToLowerInvariant());
            at += length;
        }
        if (at + 4 > packet.Length)
            return false;
        type = BinaryPrimitives.ReadUInt16BigEndian(packet[at..]);
        questionEnd = at + 4;
        name = text.ToString();
        return true;
    }

    /// <summary>
    /// The answer to <paramref name="query"/>: its ID, question and recursion-desired bit, authoritative, recursion
    /// available, with the given A records (or one PTR record) at TTL 600 as Docker's resolver answers.
    /// </summary>
    public static byte[] Answer(ReadOnlySpan<byte> query, int questionEnd, ResponseCode code, IReadOnlyList<IPAddress> addresses, string? pointer = null)
    {
        var packet = new List<byte>(questionEnd + 16 * (addresses.Count + 1));
        packet.AddRange(query[..2].ToArray());
        ushort queryFlags = BinaryPrimitives.ReadUInt16BigEndian(query[2..]);
        ushort flags = (ushort)(0x8000 | 0x0400 | (queryFlags & 0x0100) | 0x0080 | (byte)code);
        Add16(packet, flags);
        Add16(packet, 1);
        Add16(packet, (ushort)(pointer is null ? addresses.Count : 1));
        Add16(packet, 0);
        Add16(packet, 0);
        packet.AddRange(query[HeaderLength..questionEnd].ToArray());
        if (pointer is not null)
        {
            byte[] encoded = EncodeName(pointer);
            AnswerHeader(packet, TypePtr, (ushort)encoded.Length);
            packet.AddRange(encoded);
        }
        else
        {
            foreach (var address in addresses)
            {
                byte[] bytes = address.GetAddressBytes();
                AnswerHeader(packet, bytes.Length == 4 ? TypeA : TypeAaaa, (ushort)bytes.Length);
                packet.AddRange(bytes);
            }
        }
        return [.. packet];
    }

    /// <summary>The name pointer to the question (offset 12), type, class, TTL and data length.</summary>
    static void AnswerHeader(List<byte> packet, ushort type, ushort dataLength)
    {
        Add16(packet, 0xC00C);
        Add16(packet, type);
        Add16(packet, ClassIn);
        Add16(packet, 0);
        Add16(packet, 600);
        Add16(packet, dataLength);
    }

    static byte[] EncodeName(string name)
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

    static void Add16(List<byte> packet, ushort value)
    {
        packet.Add((byte)(value >> 8));
        packet.Add((byte)value);
    }

    /// <summary>
    /// "2.0.18.172.in-addr.arpa" to 172.18.0.2, and an ip6.arpa name of 32 nibbles ("2.0.0.0. ... .d.f.ip6.arpa") to its
    /// IPv6 address; null for other names.
    /// </summary>
    public static IPAddress? ReverseAddress(string name)
    {
        const string suffix = ".in-addr.arpa";
        const string suffix6 = ".ip6.arpa";
        if (name.EndsWith(suffix6, StringComparison.Ordinal))
        {
            var nibbles = name[..^suffix6.Length].Split('.');
            if (nibbles.Length != 32 || !nibbles.All(n => n.Length == 1 && char.IsAsciiHexDigit(n[0])))
                return null;
            return IPAddress.Parse(string.Join(':', string.Concat(nibbles.Reverse()).Chunk(4).Select(c => new string(c))));
        }
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
            return null;
        var parts = name[..^suffix.Length].Split('.');
        if (parts.Length != 4 || !parts.All(p => byte.TryParse(p, out _)))
            return null;
        return IPAddress.Parse(string.Join('.', parts.Reverse()));
    }
}
