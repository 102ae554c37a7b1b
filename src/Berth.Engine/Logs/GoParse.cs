using System.Buffers;
using System.Globalization;
using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// The parsers Docker's log options go through (Go's strconv and docker/go-units), with their error texts, so that a
/// bad --log-opt is refused with the words dockerd uses.
/// </summary>
internal static class GoParse
{
    static readonly SearchValues<char> SizeNumberChars = SearchValues.Create("0123456789. ");

    /// <summary>go-units FromHumanSize: decimal units (k = 1000), optional b/ib suffix, no negative sizes.</summary>
    public static bool TryFromHumanSize(string text, out long size, out string error) => TryParseSize(text, 1000, out size, out error);

    /// <summary>go-units RAMInBytes: binary units (k = 1024).</summary>
    public static bool TryRamInBytes(string text, out long size, out string error) => TryParseSize(text, 1024, out size, out error);

    // go-units 0.5's parseSize: the number is everything up to the last digit, dot or space (one space may separate it
    // from the suffix), the suffix is b, or k/m/g/t/p optionally followed by b or ib, in any case.
    static bool TryParseSize(string text, long unitBase, out long size, out string error)
    {
        size = -1;
        int separator = text.AsSpan().LastIndexOfAny(SizeNumberChars);
        if (separator < 0)
        {
            error = $"invalid size: '{text}'";
            return false;
        }
        string number = text[separator] == ' ' ? text[..separator] : text[..(separator + 1)];
        string suffix = text[(separator + 1)..];
        if (!TryParseFloat(number, out double value, out error))
            return false;
        if (value < 0)
        {
            error = $"invalid size: '{text}'";
            return false;
        }
        if (suffix.Length > 0)
        {
            if (suffix.Length > 3)
                return BadSuffix(suffix, out error);
            suffix = suffix.ToLowerInvariant();
            if (suffix[0] == 'b')
            {
                if (suffix.Length > 1)
                    return BadSuffix(suffix, out error);
            }
            else
            {
                int power = "kmgtp".IndexOf(suffix[0]);
                if (power < 0 || (suffix.Length == 2 && suffix[1] != 'b') || (suffix.Length == 3 && suffix[1..] != "ib"))
                    return BadSuffix(suffix, out error);
                value *= Math.Pow(unitBase, power + 1);
            }
        }
        size = ToInt64(value);
        error = "";
        return true;
    }

    static bool BadSuffix(string suffix, out string error)
    {
        error = $"invalid suffix: '{suffix}'";
        return false;
    }

    // Go's int64(float64) truncates toward zero; out of range it gives the minimum int64 on amd64.
    static long ToInt64(double value) => value is >= -9.2233720368547758E18 and < 9.2233720368547758E18 ? (long)value : long.MinValue;

    /// <summary>strconv.ParseFloat(s, 64) for decimal numbers.</summary>
    public static bool TryParseFloat(string text, out double value, out string error)
    {
        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!double.TryParse(text, Style, CultureInfo.InvariantCulture, out value))
        {
            error = $"strconv.ParseFloat: parsing {Quote(text)}: invalid syntax";
            return false;
        }
        if (double.IsInfinity(value))
        {
            error = $"strconv.ParseFloat: parsing {Quote(text)}: value out of range";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>strconv.Atoi: an optional sign and decimal digits, 64-bit.</summary>
    public static bool TryAtoi(string text, out long value, out string error)
    {
        value = 0;
        ReadOnlySpan<char> digits = text;
        bool negative = false;
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }
        if (digits.Length == 0 || digits.ContainsAnyExcept("0123456789"))
        {
            error = $"strconv.Atoi: parsing {Quote(text)}: invalid syntax";
            return false;
        }
        ulong magnitude = 0;
        foreach (char c in digits)
        {
            if (magnitude > (ulong.MaxValue - 9) / 10)
                return OutOfRange(text, out error);
            magnitude = magnitude * 10 + (ulong)(c - '0');
        }
        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
            return OutOfRange(text, out error);
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        error = "";
        return true;
    }

    static bool OutOfRange(string text, out string error)
    {
        error = $"strconv.Atoi: parsing {Quote(text)}: value out of range";
        return false;
    }

    /// <summary>strconv.ParseBool: 1, t, T, TRUE, true, True and their false counterparts.</summary>
    public static bool TryParseBool(string text, out bool value, out string error)
    {
        error = "";
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                error = $"strconv.ParseBool: parsing {Quote(text)}: invalid syntax";
                return false;
        }
    }

    /// <summary>strconv.Quote (%q): Go's double-quoted literal, with \x, \u escapes for what is not printable.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (Rune rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"' or '\\':
                    quoted.Append('\\').Append((char)rune.Value);
                    break;
                case '\a': quoted.Append("\\a"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\v': quoted.Append("\\v"); break;
                case < 0x20 or 0x7F:
                    quoted.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (Rune.IsControl(rune))
                        quoted.Append(rune.Value > 0xFFFF ? $"\\U{rune.Value:x8}" : $"\\u{rune.Value:x4}");
                    else
                        quoted.Append(rune.ToString());
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
