namespace Berth.Engine.Logs;

/// <summary>The few pieces of the protobuf wire format the local driver's entries use.</summary>
internal static class Protobuf
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public static int VarintLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static int WriteVarint(Span<byte> d, ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            d[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        d[n++] = (byte)value;
        return n;
    }

    public static int WriteTag(Span<byte> d, int field, int wireType) => WriteVarint(d, (ulong)((field << 3) | wireType));

    public static int WriteVarintField(Span<byte> d, int field, ulong value)
    {
        int n = WriteTag(d, field, Varint);
        return n + WriteVarint(d[n..], value);
    }

    public static int WriteBytes(Span<byte> d, int field, ReadOnlySpan<byte> value)
    {
        int n = WriteTag(d, field, LengthDelimited);
        n += WriteVarint(d[n..], (ulong)value.Length);
        value.CopyTo(d[n..]);
        return n + value.Length;
    }

    /// <summary>Reads a varint at <paramref name="at"/>, moving past it; false when it runs off the end or past 10 bytes.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> s, ref int at, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 70 && at < s.Length; shift += 7)
        {
            byte b = s[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return true;
        }
        return false;
    }

    /// <summary>Skips the value of a field of <paramref name="wireType"/>; false for a malformed one.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> s, ref int at, int wireType)
    {
        switch (wireType)
        {
            case Varint:
                return TryReadVarint(s, ref at, out _);
            case Fixed64:
                at += 8;
                return at <= s.Length;
            case LengthDelimited:
                if (!TryReadVarint(s, ref at, out ulong length) || length > (ulong)(s.Length - at))
                    return false;
                at += (int)length;
                return true;
            case Fixed32:
                at += 4;
                return at <= s.Length;
            default:
                return false;
        }
    }
}
