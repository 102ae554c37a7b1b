using System.Buffers;
using System.Text;

namespace Berth.Oci.Image;

/// <summary>
/// JSON strings from raw bytes as dockerd's Go code writes them, byte for byte, without allocating.
/// <see cref="WriteLogString"/> is json-file's "log" field (jsonlog's ffjsonWriteJSONBytesAsString): <c>\"</c>,
/// <c>\\</c>, <c>\n</c>, <c>\r</c> short; every other byte below 0x20 and <c>&lt; &gt; &amp;</c> as <c>\u00XX</c>
/// (a tab is <c>\u0009</c>); U+2028 and U+2029 as <c>\u2028</c>, <c>\u2029</c>; each byte that does not start a valid
/// UTF-8 sequence (Go's utf8.DecodeRune: RuneError of size 1) as <c>\ufffd</c>; all else raw.
/// <see cref="WriteEncodingJsonString"/> is encoding/json's (Go 1.22+) for the "attrs" map: the same but with
/// <c>\b \f \t</c> short too (what the docker CLI writes to config.json and to credential helpers).
/// </summary>
public static class GoJsonBytes
{
    // Bytes written as they are while scanning: printable ASCII but the escaped five.
    static readonly SearchValues<byte> Plain = SearchValues.Create(PlainBytes());

    const string Hex = "0123456789abcdef";

    /// <summary>The most bytes a string of <paramref name="length"/> input bytes takes, quotes included.</summary>
    public static int MaxLength(int length) => 6 * length + 2;

    public static int WriteLogString(ReadOnlySpan<byte> value, Span<byte> destination) => Write(value, destination, encodingJson: false);

    public static int WriteEncodingJsonString(ReadOnlySpan<byte> value, Span<byte> destination) => Write(value, destination, encodingJson: true);

    static int Write(ReadOnlySpan<byte> s, Span<byte> d, bool encodingJson)
    {
        int o = 0;
        d[o++] = (byte)'"';
        int i = 0;
        while (i < s.Length)
        {
            int plain = s[i..].IndexOfAnyExcept(Plain);
            if (plain < 0)
                plain = s.Length - i;
            if (plain > 0)
            {
                s.Slice(i, plain).CopyTo(d[o..]);
                o += plain;
                i += plain;
                continue;
            }
            byte b = s[i];
            if (b < 0x80)
            {
                d[o++] = (byte)'\\';
                switch (b)
                {
                    case (byte)'"' or (byte)'\\':
                        d[o++] = b;
                        break;
                    case (byte)'\n':
                        d[o++] = (byte)'n';
                        break;
                    case (byte)'\r':
                        d[o++] = (byte)'r';
                        break;
                    case (byte)'\t' when encodingJson:
                        d[o++] = (byte)'t';
                        break;
                    case (byte)'\b' when encodingJson:
                        d[o++] = (byte)'b';
                        break;
                    case (byte)'\f' when encodingJson:
                        d[o++] = (byte)'f';
                        break;
                    default:
                        o--;
                        o += UnicodeEscape(b, d[o..]);
                        break;
                }
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf8(s[i..], out Rune rune, out int size) != OperationStatus.Done)
            {
                o += UnicodeEscape(0xFFFD, d[o..]);
                i++;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
                o += UnicodeEscape(rune.Value, d[o..]);
            else
            {
                s.Slice(i, size).CopyTo(d[o..]);
                o += size;
            }
            i += size;
        }
        d[o++] = (byte)'"';
        return o;
    }

    static int UnicodeEscape(int value, Span<byte> d)
    {
        d[0] = (byte)'\\';
        d[1] = (byte)'u';
        d[2] = (byte)Hex[(value >> 12) & 0xF];
        d[3] = (byte)Hex[(value >> 8) & 0xF];
        d[4] = (byte)Hex[(value >> 4) & 0xF];
        d[5] = (byte)Hex[value & 0xF];
        return 6;
    }

    static byte[] PlainBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0x20; b < 0x80; b++)
        {
            if (b is not ('"' or '\\' or '<' or '>' or '&'))
                bytes.Add((byte)b);
        }
        return [.. bytes];
    }
}
