using System.Globalization;
using System.Numerics;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Go's strconv for template literals: Unquote, UnquoteChar and integer/float parsing with base prefixes.</summary>
internal static class GoLiterals
{
    public sealed class SyntaxError(string message) : Exception(message);

    /// <summary>strconv.Unquote for "..." and `...` strings; throws with Go's "invalid syntax".</summary>
    public static string Unquote(string s)
    {
        if (s.Length < 2) throw new SyntaxError("invalid syntax");
        char quote = s[0];
        if (quote != s[^1]) throw new SyntaxError("invalid syntax");
        string body = s[1..^1];
        if (quote == '`')
        {
            if (body.Contains('`')) throw new SyntaxError("invalid syntax");
            return body.Replace("\r", "", StringComparison.Ordinal);
        }
        if (quote != '"') throw new SyntaxError("invalid syntax");
        var bytes = new List<byte>(body.Length);
        int i = 0;
        while (i < body.Length)
        {
            if (body[i] == '"' || body[i] == '\n') throw new SyntaxError("invalid syntax");
            int value = UnquoteOne(body, ref i, '"', out bool multibyte);
            if (value < 0x80 || !multibyte)
                bytes.Add((byte)value);
            else
                AppendUtf8(bytes, value);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The value of a character constant such as <c>'a'</c> or <c>'\n'</c>.</summary>
    public static int UnquoteCharConstant(string text)
    {
        if (text.Length < 2 || text[0] != '\'') throw new SyntaxError("invalid syntax");
        int i = 1;
        if (text[i] == '\'') throw new SyntaxError("invalid syntax");
        int value = UnquoteOne(text, ref i, '\'', out _);
        if (text[i..] != "'") throw new SyntaxError("malformed character constant: " + text);
        return value;
    }

    private static void AppendUtf8(List<byte> bytes, int rune)
    {
        Span<byte> buf = stackalloc byte[4];
        int n = new Rune(rune).EncodeToUtf8(buf);
        for (int k = 0; k < n; k++) bytes.Add(buf[k]);
    }

    /// <summary>One character or escape at <paramref name="i"/>; multibyte tells whether it is a rune (vs a byte).</summary>
    private static int UnquoteOne(string s, ref int i, char quote, out bool multibyte)
    {
        multibyte = true;
        char c = s[i];
        if (c != '\\')
        {
            Rune.DecodeFromUtf16(s.AsSpan(i), out Rune r, out int width);
            i += width;
            return r.Value;
        }
        if (i + 1 >= s.Length) throw new SyntaxError("invalid syntax");
        char e = s[i + 1];
        i += 2;
        switch (e)
        {
            case 'a': return '\a';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\v';
            case '\\': return '\\';
            case '\'':
            case '"':
                if (e != quote) throw new SyntaxError("invalid syntax");
                return e;
            case 'x':
            case 'u':
            case 'U':
                int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + n > s.Length) throw new SyntaxError("invalid syntax");
                int v = 0;
                for (int k = 0; k < n; k++)
                {
                    int d = HexValue(s[i + k]);
                    if (d < 0) throw new SyntaxError("invalid syntax");
                    v = (v << 4) | d;
                }
                i += n;
                if (e == 'x')
                {
                    multibyte = false;
                    return v;
                }
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) throw new SyntaxError("invalid syntax");
                return v;
            case >= '0' and <= '7':
                int o = e - '0';
                if (i + 2 > s.Length) throw new SyntaxError("invalid syntax");
                for (int k = 0; k < 2; k++)
                {
                    int d = s[i + k] - '0';
                    if (d < 0 || d > 7) throw new SyntaxError("invalid syntax");
                    o = (o << 3) | d;
                }
                i += 2;
                if (o > 255) throw new SyntaxError("invalid syntax");
                multibyte = false;
                return o;
            default:
                throw new SyntaxError("invalid syntax");
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>strconv.ParseUint(s, 0, 64).</summary>
    public static bool TryParseUint(string s, out ulong value)
    {
        value = 0;
        if (s.Length == 0) return false;
        int @base = 10;
        int i = 0;
        bool prefixed = false;
        if (s[0] == '0' && s.Length > 1)
        {
            char p = char.ToLowerInvariant(s[1]);
            if (p == 'x') { @base = 16; i = 2; prefixed = true; }
            else if (p == 'o') { @base = 8; i = 2; prefixed = true; }
            else if (p == 'b') { @base = 2; i = 2; prefixed = true; }
            else { @base = 8; i = 1; prefixed = true; }
        }
        if (!UnderscoreOk(s)) return false;
        bool any = false;
        BigInteger acc = BigInteger.Zero;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '_') continue; // placement already checked by UnderscoreOk
            int d = HexValue(c);
            if (d < 0 || d >= @base) return false;
            acc = acc * @base + d;
            any = true;
        }
        if (!any && !(prefixed && @base == 8)) return false;
        if (acc > ulong.MaxValue) return false;
        value = (ulong)acc;
        return true;
    }

    /// <summary>strconv.ParseInt(s, 0, 64).</summary>
    public static bool TryParseInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0) return false;
        bool neg = false;
        string body = s;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            body = s[1..];
        }
        if (!TryParseUint(body, out ulong u)) return false;
        if (neg)
        {
            if (u > (ulong)long.MaxValue + 1) return false;
            value = u == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)u;
            return true;
        }
        if (u > long.MaxValue) return false;
        value = (long)u;
        return true;
    }

    /// <summary>strconv.ParseFloat(s, 64) for Go's decimal and hexadecimal float syntax.</summary>
    public static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        if (s.Length == 0 || !UnderscoreOk(s)) return false;
        string t = s.Replace("_", "", StringComparison.Ordinal);
        bool neg = false;
        if (t.Length > 0 && t[0] is '+' or '-')
        {
            neg = t[0] == '-';
            t = t[1..];
        }
        if (t.Length > 2 && t[0] == '0' && t[1] is 'x' or 'X')
        {
            if (!TryParseHexFloat(t[2..], out value)) return false;
            if (neg) value = -value;
            return true;
        }
        foreach (char c in t)
            if (!(c is >= '0' and <= '9' or '.' or 'e' or 'E' or '+' or '-')) return false;
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            return false;
        if (double.IsInfinity(value)) return false;
        if (neg) value = -value;
        return true;
    }

    private static bool TryParseHexFloat(string t, out double value)
    {
        value = 0;
        int pIdx = t.IndexOfAny(['p', 'P']);
        if (pIdx < 0) return false;
        string mant = t[..pIdx];
        if (!int.TryParse(t.AsSpan(pIdx + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exp)) return false;
        double m = 0;
        int fracDigits = 0;
        bool seenDot = false, any = false;
        foreach (char c in mant)
        {
            if (c == '.')
            {
                if (seenDot) return false;
                seenDot = true;
                continue;
            }
            int d = HexValue(c);
            if (d < 0) return false;
            m = m * 16 + d;
            any = true;
            if (seenDot) fracDigits++;
        }
        if (!any) return false;
        value = m * Math.Pow(2, exp - 4 * fracDigits);
        return !double.IsInfinity(value);
    }

    /// <summary>Go's rule: underscores only between digits or after a base prefix.</summary>
    private static bool UnderscoreOk(string s)
    {
        if (!s.Contains('_')) return true;
        char saw = '^';
        int i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+') s = s[1..];
        bool hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '0' and <= '9' || (hex && HexValue(c) >= 0))
            {
                saw = '0';
                continue;
            }
            if (c == '_')
            {
                if (saw != '0') return false;
                saw = '_';
                continue;
            }
            if (saw == '_') return false;
            saw = '!';
        }
        return saw != '_';
    }
}
