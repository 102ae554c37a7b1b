using System.Text;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Turns the strings of <see cref="System.Text.Json.Utf8JsonWriter"/> output written with
/// <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> into what Go's encoding/json
/// (Go 1.22 and later, which builds today's Docker and BuildKit) writes: <c>&lt; &gt; &amp;</c> as <c>\u003c</c>
/// <c>\u003e</c> <c>\u0026</c> (Docker's configs are full of <c>\u0026\u0026</c>); <c>" \ \b \f \n \r \t</c> short;
/// other control characters, U+2028 and U+2029 as <c>\u00XX</c> with lowercase hex; ill-formed UTF-16 as
/// <c>\ufffd</c>; every other character raw, including those above U+FFFF that the encoder writes as surrogate pairs.
/// <para>
/// Exact by construction of the input: outside strings the writer emits only structure, numbers, literals and
/// whitespace, so every <c>\</c>, <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> is inside a string, and every <c>\</c>
/// starts an escape the writer made. A lone surrogate reaches here as the encoder's <c>\uFFFD</c>, while a real U+FFFD
/// is written raw by the encoder.
/// </para>
/// </summary>
internal static class GoJsonEscaping
{
    private const string Hex = "0123456789abcdef";

    public static byte[] Apply(ReadOnlySpan<byte> json)
    {
        int next = json.IndexOfAny("\\<>&"u8);
        if (next < 0)
        {
            return json.ToArray();
        }
        // \u003c is 6 bytes for 1; an escape never grows (\u001B stays 6 bytes, a pair of 12 becomes at most 4).
        byte[] output = new byte[json.Length + 5 * (json.Count((byte)'<') + json.Count((byte)'>') + json.Count((byte)'&'))];
        int o = 0;
        int i = 0;
        while (next >= 0)
        {
            json.Slice(i, next).CopyTo(output.AsSpan(o));
            o += next;
            i += next;
            if (json[i] == '\\')
            {
                o += Rewrite(json, ref i, output.AsSpan(o));
            }
            else
            {
                o += UnicodeEscape(json[i], output.AsSpan(o));
                i++;
            }
            next = json[i..].IndexOfAny("\\<>&"u8);
        }
        json[i..].CopyTo(output.AsSpan(o));
        o += json.Length - i;
        return output.AsSpan(0, o).ToArray();
    }

    // The escape at json[i], rewritten as Go writes its character; moves i past it.
    private static int Rewrite(ReadOnlySpan<byte> json, ref int i, Span<byte> destination)
    {
        byte kind = json[i + 1];
        if (kind != 'u')
        {
            // \" \\ \b \f \n \r \t: Go writes the same. (The relaxed encoder never writes \/.)
            destination[0] = (byte)'\\';
            destination[1] = kind;
            i += 2;
            return 2;
        }
        int unit = Hex4(json.Slice(i + 2, 4));
        i += 6;
        if (char.IsHighSurrogate((char)unit) && json.Length >= i + 6 && json[i] == '\\' && json[i + 1] == 'u'
            && Hex4(json.Slice(i + 2, 4)) is int low && char.IsLowSurrogate((char)low))
        {
            i += 6;
            return new Rune((char)unit, (char)low).EncodeToUtf8(destination);
        }
        return unit switch
        {
            0xFFFD or (>= 0xD800 and <= 0xDFFF) => UnicodeEscape(0xFFFD, destination),
            < 0x20 or 0x2028 or 0x2029 => UnicodeEscape(unit, destination),
            _ => new Rune(unit).EncodeToUtf8(destination),
        };
    }

    private static int UnicodeEscape(int unit, Span<byte> destination)
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
