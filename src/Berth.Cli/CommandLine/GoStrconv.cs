using System.Globalization;

namespace Berth.Cli.CommandLine;

/// <summary>Go's strconv parsing as pflag uses it, with Go's error texts (they reach the user verbatim).</summary>
internal static class GoStrconv
{
    public static bool ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new FlagValueException($"strconv.ParseBool: parsing {GoQuote(text)}: invalid syntax"),
    };

    /// <summary>strconv.ParseInt(text, 0, bits): sign, then a 0x/0o/0b/0 prefix picks the base.</summary>
    public static long ParseInt(string text, int bits = 64)
    {
        const string Fn = "strconv.ParseInt";
        if (text.Length == 0)
            throw Syntax(Fn, text);
        bool negative = text[0] == '-';
        string digits = text[0] is '-' or '+' ? text[1..] : text;
        ulong magnitude = ParseMagnitude(Fn, text, digits);
        ulong limit = 1UL << (bits - 1);
        if (!negative && magnitude >= limit || negative && magnitude > limit)
            throw new FlagValueException($"{Fn}: parsing {GoQuote(text)}: value out of range");
        return negative ? (long)(0 - magnitude) : (long)magnitude;
    }

    public static ulong ParseUint(string text, int bits = 64)
    {
        const string Fn = "strconv.ParseUint";
        if (text.Length == 0 || text[0] is '-' or '+')
            throw Syntax(Fn, text);
        ulong value = ParseMagnitude(Fn, text, text);
        if (bits < 64 && value >= 1UL << bits)
            throw new FlagValueException($"{Fn}: parsing {GoQuote(text)}: value out of range");
        return value;
    }

    static ulong ParseMagnitude(string fn, string original, string s)
    {
        int numberBase = 10;
        bool prefixed = false;
        if (s.Length > 1 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x': numberBase = 16; s = s[2..]; prefixed = true; break;
                case 'o': numberBase = 8; s = s[2..]; prefixed = true; break;
                case 'b': numberBase = 2; s = s[2..]; prefixed = true; break;
                default: numberBase = 8; s = s[1..]; prefixed = true; break;
            }
        }
        if (s.Length == 0)
            throw Syntax(fn, original);
        ulong value = 0;
        bool overflow = false;
        bool lastUnderscore = !prefixed;
        foreach (char c in s)
        {
            if (c == '_')
            {
                if (!prefixed || lastUnderscore)
                    throw Syntax(fn, original);
                lastUnderscore = true;
                continue;
            }
            lastUnderscore = false;
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= numberBase)
                throw Syntax(fn, original);
            if (overflow)
                continue;
            UInt128 next = (UInt128)value * (uint)numberBase + (uint)digit;
            if (next > ulong.MaxValue)
                overflow = true;
            else
                value = (ulong)next;
        }
        if (s.EndsWith('_'))
            throw Syntax(fn, original);
        if (overflow)
            throw new FlagValueException($"{fn}: parsing {GoQuote(original)}: value out of range");
        return value;
    }

    public static double ParseFloat(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return value;
        throw new FlagValueException($"strconv.ParseFloat: parsing {GoQuote(text)}: invalid syntax");
    }

    static FlagValueException Syntax(string fn, string text) => new($"{fn}: parsing {GoQuote(text)}: invalid syntax");

    /// <summary>Go's %q of a string (strconv.Quote): printable text as is, the rest escaped.</summary>
    public static string GoQuote(string text) => Templates.GoQuote.Quote(text);
}
