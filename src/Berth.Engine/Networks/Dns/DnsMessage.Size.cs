using System.Buffers.Binary;

namespace Berth.Engine.Networks.Dns;

/// <summary>
/// How big an answer may be: the size a client takes over UDP (512 bytes, or what its EDNS0 OPT record offers), and a
/// message cut to fit it with the TC bit set, so that the client asks again over TCP.
/// </summary>
public static partial class DnsMessage
{
    /// <summary>What every client takes over UDP (RFC 1035), and the least an EDNS0 client may offer (RFC 6891).</summary>
    public const int UdpDefaultSize = 512;

    /// <summary>The largest message that TCP's two-byte length prefix can carry.</summary>
    public const int TcpMaxSize = ushort.MaxValue;

    const ushort TypeOpt = 41;
    const byte TruncatedBit = 0x02;

    enum Section { Answer, Authority, Additional }

    /// <summary>One resource record's bytes, from its owner name to the end of its data.</summary>
    readonly record struct Record(int Start, int End, ushort Type, ushort Class, Section Section)
    {
        public int Length => End - Start;
    }

    /// <summary>
    /// The largest answer the sender of <paramref name="query"/> takes over UDP: the payload size of its OPT record,
    /// never less than 512 (RFC 6891 6.2.5); 512 without one, or when the query cannot be read that far.
    /// </summary>
    public static int UdpLimit(ReadOnlySpan<byte> query)
    {
        if (!TryReadRecords(query, out _, out var records))
            return UdpDefaultSize;
        foreach (var record in records)
        {
            if (record.Section == Section.Additional && record.Type == TypeOpt)
                return Math.Max(UdpDefaultSize, (int)record.Class);
        }
        return UdpDefaultSize;
    }

    public static bool IsTruncated(ReadOnlySpan<byte> message) => message.Length >= HeaderLength && (message[2] & TruncatedBit) != 0;

    /// <summary>Whether <paramref name="message"/> is a response with the ID of <paramref name="query"/>.</summary>
    public static bool IsAnswerTo(ReadOnlySpan<byte> message, ReadOnlySpan<byte> query) =>
        message.Length >= HeaderLength && query.Length >= 2 && (message[2] & 0x80) != 0 && message[..2].SequenceEqual(query[..2]);

    /// <summary>
    /// <paramref name="message"/> cut to <paramref name="limit"/> bytes as a server sends what does not fit: TC set, the
    /// header and question kept, then as many whole records as fit in wire order, and the OPT record (the server's
    /// EDNS0) last. Only a prefix of the records is kept, so that no compression pointer of a kept record points into a
    /// dropped one. The message itself when it fits; its bare header with TC when its records cannot be read.
    /// </summary>
    public static byte[] Truncate(byte[] message, int limit)
    {
        if (message.Length <= limit)
            return message;
        if (!TryReadRecords(message, out int questionEnd, out var records))
        {
            var bare = message[..Math.Min(HeaderLength, message.Length)];
            if (bare.Length == HeaderLength)
                bare.AsSpan(4).Clear();
            bare[2] |= TruncatedBit;
            return bare;
        }
        int opt = records.FindIndex(r => r.Section == Section.Additional && r.Type == TypeOpt);
        int optLength = opt < 0 ? 0 : records[opt].Length;
        // Records after the OPT record are dropped with it moving last: their offsets would change under pointers.
        int candidates = opt < 0 ? records.Count : opt;
        int end = questionEnd;
        Span<int> counts = stackalloc int[3];
        for (int i = 0; i < candidates && records[i].End + optLength <= limit; i++)
        {
            end = records[i].End;
            counts[(int)records[i].Section]++;
        }
        var cut = new byte[end + optLength];
        message.AsSpan(0, end).CopyTo(cut);
        if (opt >= 0)
        {
            message.AsSpan(records[opt].Start, optLength).CopyTo(cut.AsSpan(end));
            counts[(int)Section.Additional]++;
        }
        cut[2] |= TruncatedBit;
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(6), (ushort)counts[0]);
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(8), (ushort)counts[1]);
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(10), (ushort)counts[2]);
        return cut;
    }

    /// <summary>The records after the question section, in wire order; false when the message is malformed.</summary>
    static bool TryReadRecords(ReadOnlySpan<byte> message, out int questionEnd, out List<Record> records)
    {
        records = [];
        questionEnd = 0;
        if (message.Length < HeaderLength)
            return false;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        int at = HeaderLength;
        for (int i = 0; i < questions; i++)
        {
            if (!TrySkipName(message, ref at) || at + 4 > message.Length)
                return false;
            at += 4;
        }
        questionEnd = at;
        for (int i = 0; i < answers + authority + additional; i++)
        {
            int start = at;
            if (!TrySkipName(message, ref at) || at + 10 > message.Length)
                return false;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]);
            at += 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            if (at > message.Length)
                return false;
            var section = i < answers ? Section.Answer : i < answers + authority ? Section.Authority : Section.Additional;
            records.Add(new Record(start, at, type, @class, section));
        }
        return true;
    }

    /// <summary>Past a name on the wire: labels up to the root, or up to a compression pointer (which ends it).</summary>
    static bool TrySkipName(ReadOnlySpan<byte> message, ref int at)
    {
        while (at < message.Length)
        {
            int length = message[at];
            if (length == 0)
            {
                at++;
                return true;
            }
            if ((length & 0xC0) == 0xC0)
            {
                at += 2;
                return at <= message.Length;
            }
            if ((length & 0xC0) != 0)
                return false;
            at += 1 + length;
        }
        return false;
    }
}
