using System.Buffers;
using System.Text;

namespace Berth.Oci.Json;

/// <summary>
/// Rewrites the strings of <see cref="System.Text.Json.Utf8JsonWriter"/> output made with
/// <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> into the escaping of Go's
/// encoding/json, so that Berth's output matches runc's and Docker's byte for byte: <c>"</c>, <c>\</c>, <c>\n \r \t</c>
/// short, other control characters and U+2028/U+2029 as <c>\u00XX</c>/<c>\u2028</c> with lowercase hex, ill-formed
/// UTF-16 as <c>\ufffd</c>, everything else raw (non-ASCII text, DEL, characters above U+FFFF). With HTML escaping
/// on (Go's default: <c>json.Marshal</c>, runc's state, the CLI's request bodies, event and stats streams)
/// <c>&lt; &gt; &amp;</c> become <c>\u003c \u003e \u0026</c>; dockerd's ordinary responses use <c>SetEscapeHTML(false)</c>.
/// Backspace and form feed are <c>\u0008</c> and <c>\u000c</c> as in the Go 1.19 that built runc 1.1, or, with
/// <c>shortBackspaceAndFormFeed</c>, <c>\b</c> and <c>\f</c> as Go 1.22 and later write them (today's Docker and BuildKit).
/// <para>
/// Exact because of what the writer produces: outside strings there are only structure, numbers and literals, so
/// every <c>\</c>, <c>&lt; &gt; &amp;</c> and non-ASCII byte is inside a string, and every <c>\</c> starts an escape
/// the writer made. Each escape is decoded and written again as Go writes that character.
/// </para>
/// </summary>
public static class GoEscaping
{
    private const string Hex = "0123456789abcdef";

    // 0xE2 leads the UTF-8 of U+2028 and U+2029, which Go escapes even where the relaxed encoder might not.
    private static readonly SearchValues<byte> SpecialsHtml = SearchValues.Create([(byte)'\\', (byte)'<', (byte)'>', (byte)'&', 0xE2]);
    private static readonly SearchValues<byte> Specials = SearchValues.Create([(byte)'\\', 0xE2]);

    /// <summary>Go's <c>json.Marshal</c> escaping (HTML escaping on), as a new array.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> json, bool shortBackspaceAndFormFeed = false)
    {
        if (json.IndexOfAny(SpecialsHtml) < 0)
        {
            return json.ToArray();
        }
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        Apply(json, output, escapeHtml: true, shortBackspaceAndFormFeed);
        return output.WrittenSpan.ToArray();
    }

    public static void Apply(ReadOnlySpan<byte> json, IBufferWriter<byte> output, bool escapeHtml, bool shortBackspaceAndFormFeed)
    {
        SearchValues<byte> specials = escapeHtml ? SpecialsHtml : Specials;
        int i = 0;
        while (i < json.Length)
        {
            int next = json[i..].IndexOfAny(specials);
            int end = next < 0 ? json.Length : i + next;
            if (end > i)
            {
                output.Write(json[i..end]);
                i = end;
            }
            if (i == json.Length)
            {
                break;
            }
            byte b = json[i];
            Span<byte> destination = output.GetSpan(12);
            int written;
            if (b == '\\')
            {
                written = WriteGo(Unescape(json, ref i), destination, escapeHtml, shortBackspaceAndFormFeed);
            }
            else if (b == 0xE2)
            {
                bool lineOrParagraphSeparator = json.Length >= i + 3 && json[i + 1] == 0x80 && json[i + 2] is 0xA8 or 0xA9;
                written = lineOrParagraphSeparator ? WriteUnicodeEscape(json[i + 2] == 0xA8 ? 0x2028 : 0x2029, destination) : Copy(0xE2, destination);
                i += lineOrParagraphSeparator ? 3 : 1;
            }
            else
            {
                written = WriteUnicodeEscape(b, destination); // < > &
                i++;
            }
            output.Advance(written);
        }
    }

    private static int Copy(byte b, Span<byte> destination)
    {
        destination[0] = b;
        return 1;
    }

    // The character of the escape at json[i], moving i past it; a surrogate pair is one character. The encoder
    // writes a lone surrogate as \uFFFD and a real U+FFFD raw, so an escaped U+FFFD, like a lone surrogate, is -1:
    // Go's \ufffd for what is not valid text.
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

    private static int WriteGo(int scalar, Span<byte> destination, bool escapeHtml, bool shortBackspaceAndFormFeed)
    {
        switch (scalar)
        {
            case -1:
                return WriteUnicodeEscape(0xFFFD, destination);
            case '"' or '\\':
                destination[0] = (byte)'\\';
                destination[1] = (byte)scalar;
                return 2;
            case '\n' or '\r' or '\t':
            case '\b' or '\f' when shortBackspaceAndFormFeed:
                destination[0] = (byte)'\\';
                destination[1] = scalar switch { '\b' => (byte)'b', '\f' => (byte)'f', '\n' => (byte)'n', '\r' => (byte)'r', _ => (byte)'t' };
                return 2;
            case < 0x20 or 0x2028 or 0x2029:
                return WriteUnicodeEscape(scalar, destination);
            case '<' or '>' or '&' when escapeHtml:
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
