using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// The local driver's records (<see cref="LocalEncoder"/>): a protobuf LogEntry between two copies of its length.
/// The line gets its '\n' back unless the entry is a partial piece that is not the last, as dockerd's decoder does.
/// </summary>
internal sealed class LocalRecordFormat : LogRecordFormat
{
    public static readonly LocalRecordFormat Instance = new();

    // dockerd refuses entries over 1 MB (maxMsgLen); a length beyond this one means the framing is lost.
    const int MaxEntryLength = 16 * 1024 * 1024;

    const int FrameLength = LocalEncoder.FrameLength;

    public override int RecordLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < FrameLength)
            return 0;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (length > MaxEntryLength)
            return -1;
        int total = 2 * FrameLength + (int)length;
        if (data.Length < total)
            return 0;
        return BinaryPrimitives.ReadUInt32BigEndian(data[(total - FrameLength)..]) == length ? total : -1;
    }

    public override bool TryParse(ReadOnlySpan<byte> record, out LogRecord parsed)
    {
        parsed = default;
        ReadOnlySpan<byte> entry = record[FrameLength..^FrameLength];
        LogSource? source = null;
        long timeNano = 0;
        int lineStart = 0, lineLength = 0;
        bool partial = false, last = false;
        int at = 0;
        while (at < entry.Length)
        {
            if (!Protobuf.TryReadVarint(entry, ref at, out ulong tag))
                return false;
            int field = (int)(tag >> 3), wireType = (int)(tag & 7);
            switch (field)
            {
                case 1 or 3 or 5 when wireType == Protobuf.LengthDelimited:
                    if (!Protobuf.TryReadVarint(entry, ref at, out ulong length) || length > (ulong)(entry.Length - at))
                        return false;
                    var value = entry.Slice(at, (int)length);
                    if (field == 1)
                        source = value.SequenceEqual("stdout"u8) ? LogSource.Stdout : value.SequenceEqual("stderr"u8) ? LogSource.Stderr : null;
                    else if (field == 3)
                        (lineStart, lineLength) = (FrameLength + at, (int)length);
                    else if (!TryReadLast(value, out last))
                        return false;
                    at += (int)length;
                    break;
                case 2 or 4 when wireType == Protobuf.Varint:
                    if (!Protobuf.TryReadVarint(entry, ref at, out ulong number))
                        return false;
                    if (field == 2)
                        timeNano = (long)number;
                    else
                        partial = number != 0;
                    break;
                default:
                    if (!Protobuf.TrySkip(entry, ref at, wireType))
                        return false;
                    break;
            }
        }
        if (source is null)
            return false;
        var time = DateTimeOffset.UnixEpoch.AddTicks(timeNano / 100);
        parsed = new LogRecord(source.Value, time, lineStart, lineLength, LineEscaped: false, AppendNewline: !partial || last);
        return true;
    }

    // PartialLogEntryMetadata: last = 1 is all the reader needs.
    static bool TryReadLast(ReadOnlySpan<byte> metadata, out bool last)
    {
        last = false;
        int at = 0;
        while (at < metadata.Length)
        {
            if (!Protobuf.TryReadVarint(metadata, ref at, out ulong tag))
                return false;
            if (tag == (1 << 3 | Protobuf.Varint))
            {
                if (!Protobuf.TryReadVarint(metadata, ref at, out ulong value))
                    return false;
                last = value != 0;
            }
            else if (!Protobuf.TrySkip(metadata, ref at, (int)(tag & 7)))
            {
                return false;
            }
        }
        return true;
    }

    public override bool TryFindTail(SafeFileHandle file, long end, int count, out long offset, out int found)
    {
        // dockerd's getTailReader: from the end, each record's trailing length leads to its leading one.
        offset = end;
        found = 0;
        Span<byte> frame = stackalloc byte[FrameLength];
        // The last record is checked even when none is wanted: a half-written one must not become the starting point.
        bool lastChecked = false;
        while ((found < count || !lastChecked) && offset > 0)
        {
            if (offset < 2 * FrameLength || JsonFileRecordFormat.ReadExactly(file, frame, offset - FrameLength) < FrameLength)
                return false;
            uint length = BinaryPrimitives.ReadUInt32BigEndian(frame);
            long start = offset - 2 * FrameLength - length;
            if (length > MaxEntryLength || start < 0 || JsonFileRecordFormat.ReadExactly(file, frame, start) < FrameLength
                || BinaryPrimitives.ReadUInt32BigEndian(frame) != length)
                return false;
            lastChecked = true;
            if (found == count)
                break;
            offset = start;
            found++;
        }
        return true;
    }
}
