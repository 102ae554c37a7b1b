using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// The bytes of a JSON string's raw contents with the escapes undone, as Go's encoding/json decodes them (an escaped
/// lone surrogate becomes U+FFFD). The input is what Utf8JsonReader has already checked to be a well-formed string.
/// </summary>
internal static class JsonStringDecoder
{
    /// <summary>Decodes into <paramref name="destination"/> (as long as the input is enough); returns the length.</summary>
    public static int Unescape(ReadOnlySpan<byte> s, Span<byte> destination)
    {
        int o = 0;
        int i = 0;
        while (i < s.Length)
        {
            int backslash = s[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                s[i..].CopyTo(destination[o..]);
                return o + s.Length - i;
            }
            s.Slice(i, backslash).CopyTo(destination[o..]);
            o += backslash;
            i += backslash;
            byte kind = s[i + 1];
            i += 2;
            switch (kind)
            {
                case (byte)'b': destination[o++] = (byte)'\b'; break;
                case (byte)'f': destination[o++] = (byte)'\f'; break;
                case (byte)'n': destination[o++] = (byte)'\n'; break;
                case (byte)'r': destination[o++] = (byte)'\r'; break;
                case (byte)'t': destination[o++] = (byte)'\t'; break;
                case (byte)'u':
                    int unit = Hex4(s.Slice(i, 4));
                    i += 4;
                    int scalar = unit;
                    if (char.IsHighSurrogate((char)unit) && i + 6 <= s.Length && s[i] == '\\' && s[i + 1] == 'u'
                        && char.IsLowSurrogate((char)Hex4(s.Slice(i + 2, 4))))
                    {
                        scalar = char.ConvertToUtf32((char)unit, (char)Hex4(s.Slice(i + 2, 4)));
                        i += 6;
                    }
                    else if (char.IsSurrogate((char)unit))
                    {
                        scalar = 0xFFFD;
                    }
                    o += new Rune(scalar).EncodeToUtf8(destination[o..]);
                    break;
                default: // " \ /
                    destination[o++] = kind;
                    break;
            }
        }
        return o;
    }

    static int Hex4(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        foreach (byte h in hex)
            value = (value << 4) | (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        return value;
    }
}
