using System.Text;

namespace Berth.Oci.Json;

/// <summary>
/// Rewrites the strings of <see cref="System.Text.Json.Utf8JsonWriter"/> output written with
/// <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> into Go's encoding/json
/// escaping (HTML escaping on), so that Berth's output matches runc's byte for byte: <c>"</c>, <c>\</c>, <c>\n</c>,
/// <c>\r</c>, <c>\t</c> short; other control characters and <c>&lt; &gt; &amp;</c>, U+2028, U+2029 as <c>\u00XX</c>
/// with lowercase hex; ill-formed UTF-16 as <c>\ufffd</c>; everything else (all other non-ASCII text, DEL) raw.
/// Backspace and form feed are <c>\u0008</c> and <c>\u000c</c> as in the Go 1.19 that built runc 1.1, or, with
/// <c>shortBackspaceAndFormFeed</c>, <c>\b</c> and <c>\f</c> as Go 1.22 and later write them (today's Docker and BuildKit).
/// <para>
/// Exact because of what the writer produces: outside strings there are only structure, numbers, literals and
/// whitespace, so every <c>\</c>, <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> is inside a string, and every <c>\</c> starts
/// an escape the writer made. The relaxed encoder writes <c>&lt; &gt; &amp;</c> raw, escapes what it does not pass
/// (controls, U+2028/9, characters above U+FFFF as surrogate pairs, some others) as <c>\uXXXX</c> or a short escape,
/// and a lone surrogate as <c>\uFFFD</c>, while a real U+FFFD stays raw: each escape is decoded and written again
/// as Go writes that character.
/// </para>
/// </summary>
internal static class GoEscaping
{
    private const string Hex = "0123456789abcdef";

    public static byte[] Apply(ReadOnlySpan<byte> json, bool shortBackspaceAndFormFeed = false)
    {
        int first = json.IndexOfAny("\\<>&"u8);
        if (first < 0)
        {
            return json.ToArray();
        }
        // An escape grows by at most 4 bytes (\b to \u0008), a raw < > & by 5.
        int specials = json.Count((byte)'\\') + json.Count((byte)'<') + json.Count((byte)'>') + json.Count((byte)'&');
        byte[] output = new byte[json.Length + 5 * specials];
        json[..first].CopyTo(output);
        int o = first;
        int i = first;
        while (i < json.Length)
        {
            byte b = json[i];
            if (b == '\\')
            {
                int scalar = Unescape(json, ref i);
                o += WriteGo(scalar, output.AsSpan(o), shortBackspaceAndFormFeed);
            }
            else if (b is (byte)'<' or (byte)'>' or (byte)'&')
            {
                o += WriteUnicodeEscape(b, output.AsSpan(o));
                i++;
            }
            else
            {
                int next = json[(i + 1)..].IndexOfAny("\\<>&"u8);
                int end = next < 0 ? json.Length : i + 1 + next;
                json[i..end].CopyTo(output.AsSpan(o));
                o += end - i;
                i = end;
            }
        }
        return output.AsSpan(0, o).ToArray();
    }

    // The character of the escape at json[i], moving i past it; a surrogate pair is one character, a lone
    // surrogate (never written by the encoder, which replaces it) and U+FFFD are -1: Go's \ufffd.
    private static int Unescape(ReadOnlySpan<byte> json, ref int i)
    {
        byte kind = json[i + 1];
        if (kind != 'u')
        {
            i += 2;
            return kind switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => kind, // \" \\ \/
            };
        }
        int unit = Hex4(json.Slice(i + 2, 4));
        i += 6;
        if (char.IsHighSurrogate((char)unit) && json.Length >= i + 6 && json[i..].StartsWith("\\u"u8))
        {
            int low = Hex4(json.Slice(i + 2, 4));
            if (char.IsLowSurrogate((char)low))
            {
                i += 6;
                return char.ConvertToUtf32((char)unit, (char)low);
            }
        }
        return unit == 0xFFFD || char.IsSurrogate((char)unit) ? -1 : unit;
    }

    private static int WriteGo(int scalar, Span<byte> destination, bool shortBackspaceAndFormFeed)
    {
        switch (scalar)
        {
            case '\b' or '\f' when shortBackspaceAndFormFeed:
                destination[0] = (byte)'\\';
                destination[1] = scalar == '\b' ? (byte)'b' : (byte)'f';
                return 2;
            case -1:
                return WriteUnicodeEscape(0xFFFD, destination);
            case '"' or '\\':
                destination[0] = (byte)'\\';
                destination[1] = (byte)scalar;
                return 2;
            case '\n' or '\r' or '\t':
                destination[0] = (byte)'\\';
                destination[1] = scalar == '\n' ? (byte)'n' : scalar == '\r' ? (byte)'r' : (byte)'t';
                return 2;
            case < 0x20 or '<' or '>' or '&' or 0x2028 or 0x2029:
                return WriteUnicodeEscape(scalar, destination);
            default:
                return new Rune(scalar).EncodeToUtf8(destination);
        }
    }

    private static int WriteUnicodeEscape(int unit, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = (byte)Hex[(unit >> 12) & 0xF];
        destination[3] = (byte)Hex[(unit >> 8) & 0xF];
        destination[4] = (byte)Hex[(unit >> 4) & 0xF];
        destination[5] = (byte)Hex[unit & 0xF];
        return 6;
    }

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        foreach (byte h in hex)
        {
            value = (value << 4) | (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return value;
    }
}
