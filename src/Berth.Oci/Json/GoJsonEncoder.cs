using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Berth.Oci.Json;

/// <summary>
/// Escapes JSON strings as Go's encoding/json does by default (HTML escaping on), so that Berth's output
/// matches runc's byte for byte: <c>"</c>, <c>\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c> short; other control
/// characters and <c>&lt; &gt; &amp;</c>, U+2028, U+2029 as <c>\u00XX</c> with lowercase hex; ill-formed UTF-8 or
/// UTF-16 as <c>\ufffd</c>; everything else (all other non-ASCII text, DEL) raw.
/// Backspace and form feed are <c>\u0008</c> and <c>\u000c</c> as in the Go 1.19 that built runc 1.1
/// (Go 1.22 and later write <c>\b</c> and <c>\f</c>).
/// </summary>
internal sealed class GoJsonEncoder : JavaScriptEncoder
{
    public static readonly GoJsonEncoder Instance = new();

    private const string Hex = "0123456789abcdef";

    private GoJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \u00XX

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x80 ? NeedsEscape(unicodeScalar) : unicodeScalar is 0x2028 or 0x2029;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ReadOnlySpan<char> s = new(text, textLength);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80)
            {
                if (NeedsEscape(c))
                {
                    return i;
                }
            }
            else if (c is '\u2028' or '\u2029')
            {
                return i;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i; // lone surrogate: encoded as \ufffd
            }
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int i = 0;
        while (i < utf8Text.Length)
        {
            byte b = utf8Text[i];
            if (b < 0x80)
            {
                if (NeedsEscape(b))
                {
                    return i;
                }
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf8(utf8Text[i..], out Rune rune, out int length) != OperationStatus.Done
                || rune.Value is 0x2028 or 0x2029)
            {
                return i;
            }
            i += length;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        Span<char> destination = new(buffer, bufferLength);
        ReadOnlySpan<char> text = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => default,
        };
        if (text.IsEmpty && !WillEncode(unicodeScalar) && unicodeScalar != 0xFFFD)
        {
            // Not ours to escape: write the scalar itself.
            return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }
        if (text.IsEmpty)
        {
            Span<char> escape = stackalloc char[6];
            escape[0] = '\\';
            escape[1] = 'u';
            escape[2] = Hex[(unicodeScalar >> 12) & 0xF];
            escape[3] = Hex[(unicodeScalar >> 8) & 0xF];
            escape[4] = Hex[(unicodeScalar >> 4) & 0xF];
            escape[5] = Hex[unicodeScalar & 0xF];
            return Copy(escape, destination, out numberOfCharactersWritten);
        }
        return Copy(text, destination, out numberOfCharactersWritten);
    }

    private static bool NeedsEscape(int ascii) => ascii < 0x20 || ascii is '"' or '\\' or '<' or '>' or '&';

    private static bool Copy(ReadOnlySpan<char> text, Span<char> destination, out int written)
    {
        if (!text.TryCopyTo(destination))
        {
            written = 0;
            return false;
        }
        written = text.Length;
        return true;
    }
}
