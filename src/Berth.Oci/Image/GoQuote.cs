using System.Globalization;
using System.Text;

namespace Berth.Oci.Image;

/// <summary>Go's <c>%q</c> (<c>strconv.Quote</c>), for error messages worded as the Go tools word them.</summary>
public static class GoQuote
{
    public static string Quote(string s)
    {
        StringBuilder quoted = new(s.Length + 2);
        quoted.Append('"');
        foreach (Rune rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"' or '\\':
                    quoted.Append('\\').Append((char)rune.Value);
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                case < 0x20 or 0x7f:
                    quoted.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator
                        or UnicodeCategory.ParagraphSeparator)
                    {
                        quoted.Append(rune.Value > 0xFFFF
                            ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture)
                            : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        quoted.Append(rune.ToString());
                    }
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
