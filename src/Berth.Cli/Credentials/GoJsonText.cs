using System.Text;

namespace Berth.Cli.Credentials;

/// <summary>
/// JSON text as Go's encoding/json writes it by default (json.Marshal, json.Encoder): &lt; &gt; &amp; as \u003c \u003e
/// \u0026, U+2028 and U+2029 escaped, other non-ASCII as it is, object fields in the order given. What docker sends a
/// credential helper or the daemon is written so, and a helper may keep the very line it was given: berth sends the
/// same bytes.
/// </summary>
internal static class GoJsonText
{
    const string Hex = "0123456789abcdef";

    /// <summary>An object of string fields in the given order; with <paramref name="omitEmpty"/>, "" fields are left out (Go's omitempty).</summary>
    public static string Object(IEnumerable<(string Name, string Value)> fields, bool omitEmpty)
    {
        var sb = new StringBuilder();
        AppendObject(sb, fields, omitEmpty);
        return sb.ToString();
    }

    public static void AppendObject(StringBuilder sb, IEnumerable<(string Name, string Value)> fields, bool omitEmpty)
    {
        sb.Append('{');
        bool first = true;
        foreach (var (name, value) in fields)
        {
            if (omitEmpty && value.Length == 0)
                continue;
            if (!first)
                sb.Append(',');
            first = false;
            AppendString(sb, name);
            sb.Append(':');
            AppendString(sb, value);
        }
        sb.Append('}');
    }

    public static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendEscape(sb, c);
                    break;
                default:
                    if (c < 0x20)
                        AppendEscape(sb, c);
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c))
                        sb.Append("\\ufffd"); // Go writes invalid UTF-8 so
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    static void AppendEscape(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(Hex[c >> 12]).Append(Hex[(c >> 8) & 0xF]).Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
}
