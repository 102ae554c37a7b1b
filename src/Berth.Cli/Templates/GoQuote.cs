using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Go's strconv quoting (<c>Quote</c>, <c>QuoteRune</c>, <c>CanBackquote</c>) and <c>unicode.IsPrint</c>.</summary>
internal static class GoQuote
{
    private const string LowerHex = "0123456789abcdef";

    public static string Quote(string s, bool asciiOnly = false)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var r in s.EnumerateRunes())
            AppendEscapedRune(sb, r.Value, '"', asciiOnly);
        sb.Append('"');
        return sb.ToString();
    }

    public static string QuoteRune(int r, bool asciiOnly = false)
    {
        if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscapedRune(sb, r, '\'', asciiOnly);
        sb.Append('\'');
        return sb.ToString();
    }

    public static bool CanBackquote(string s)
    {
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value == '`' || r.Value == 0xFEFF) return false;
            if (r.Value < ' ' && r.Value != '\t') return false;
            if (r.Value == 0x7F) return false;
        }
        return true;
    }

    public static bool IsPrint(int r)
    {
        if (r == ' ') return true;
        if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return false;
        switch (Rune.GetUnicodeCategory(new Rune(r)))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    private static void AppendEscapedRune(StringBuilder sb, int r, char quote, bool asciiOnly)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }
        if (asciiOnly)
        {
            if (r < 0x80 && IsPrint(r))
            {
                sb.Append((char)r);
                return;
            }
        }
        else if (IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (r < ' ' || r == 0x7F)
        {
            sb.Append("\\x").Append(LowerHex[r >> 4]).Append(LowerHex[r & 0xF]);
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) sb.Append(LowerHex[(r >> shift) & 0xF]);
        }
        else
        {
            sb.Append("\\U");
            for (int shift = 28; shift >= 0; shift -= 4) sb.Append(LowerHex[(r >> shift) & 0xF]);
        }
    }
}
