using System.Buffers.Binary;
using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// The local driver's entry as dockerd writes it: the protobuf LogEntry (source = 1, time_nano = 2, line = 3,
/// partial = 4, partial_log_metadata = 5 {last = 1, id = 2, ordinal = 3}, attrs = 6 {key = 1, value = 2}; fields in
/// order, proto3 defaults left out) framed by its length as a big-endian uint32 before and after.
/// </summary>
internal sealed class LocalEncoder : ILogEntryEncoder
{
    public const int FrameLength = 4;

    readonly byte[] _attrs;

    public LocalEncoder(IReadOnlyDictionary<string, string>? attributes)
    {
        _attrs = attributes is { Count: > 0 } ? EncodeAttributes(attributes) : [];
    }

    // Frames, source, time, the line's tag and length, partial and its metadata (a 64-character ID) take under 128 bytes.
    public int MaxLength(int lineLength) => 2 * FrameLength + 128 + lineLength + _attrs.Length;

    public int Encode(in LogMessage message, Span<byte> d)
    {
        int metadataLength = 0;
        if (message.Partial)
        {
            metadataLength = (message.Last ? 2 : 0)
                + (message.PartialId.Length > 0 ? 1 + Protobuf.VarintLength((ulong)message.PartialId.Length) + message.PartialId.Length : 0)
                + (message.Ordinal != 0 ? 1 + Protobuf.VarintLength((ulong)(long)message.Ordinal) : 0);
        }
        int n = FrameLength;
        n += Protobuf.WriteBytes(d[n..], 1, LogMessage.SourceName(message.Source));
        long timeNano = (message.Time.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) * 100;
        if (timeNano != 0)
            n += Protobuf.WriteVarintField(d[n..], 2, (ulong)timeNano);
        if (message.Line.Length > 0)
            n += Protobuf.WriteBytes(d[n..], 3, message.Line);
        if (message.Partial)
        {
            n += Protobuf.WriteVarintField(d[n..], 4, 1);
            n += Protobuf.WriteTag(d[n..], 5, Protobuf.LengthDelimited);
            n += Protobuf.WriteVarint(d[n..], (ulong)metadataLength);
            if (message.Last)
                n += Protobuf.WriteVarintField(d[n..], 1, 1);
            if (message.PartialId.Length > 0)
                n += Protobuf.WriteBytes(d[n..], 2, message.PartialId);
            if (message.Ordinal != 0)
                n += Protobuf.WriteVarintField(d[n..], 3, (ulong)(long)message.Ordinal);
        }
        _attrs.CopyTo(d[n..]);
        n += _attrs.Length;
        int protoLength = n - FrameLength;
        BinaryPrimitives.WriteUInt32BigEndian(d, (uint)protoLength);
        BinaryPrimitives.WriteUInt32BigEndian(d[n..], (uint)protoLength);
        return n + FrameLength;
    }

    // dockerd sorts the attributes by key, then value.
    static byte[] EncodeAttributes(IReadOnlyDictionary<string, string> attributes)
    {
        var output = new List<byte>();
        var comparer = Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y));
        foreach (var (key, value) in attributes.Select(a => (Key: Encoding.UTF8.GetBytes(a.Key), Value: Encoding.UTF8.GetBytes(a.Value)))
                     .OrderBy(a => a.Key, comparer).ThenBy(a => a.Value, comparer))
        {
            int length = (key.Length > 0 ? 1 + Protobuf.VarintLength((ulong)key.Length) + key.Length : 0)
                + (value.Length > 0 ? 1 + Protobuf.VarintLength((ulong)value.Length) + value.Length : 0);
            var entry = new byte[1 + Protobuf.VarintLength((ulong)length) + length];
            int n = Protobuf.WriteTag(entry, 6, Protobuf.LengthDelimited);
            n += Protobuf.WriteVarint(entry.AsSpan(n), (ulong)length);
            if (key.Length > 0)
                n += Protobuf.WriteBytes(entry.AsSpan(n), 1, key);
            if (value.Length > 0)
                Protobuf.WriteBytes(entry.AsSpan(n), 2, value);
            output.AddRange(entry);
        }
        return [.. output];
    }
}
