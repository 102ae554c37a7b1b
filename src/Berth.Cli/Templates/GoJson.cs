using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

using Berth.Oci.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// The text of docker's <c>json</c> template function: Go's encoding/json output, compact.
/// </summary>
/// <remarks>
/// <para>docker encodes with <c>SetEscapeHTML(false)</c>, so <c>&lt; &gt; &amp;</c> stay as they
/// are; U+2028 and U+2029 are still escaped, as Go always does.</para>
/// <para>A <see cref="JsonObject"/> keeps its own key order: docker marshals inspect data from Go
/// structs, whose fields come out in declaration order, which is the order the Engine API
/// sends them in; maps inside (labels, networks) the API already sends sorted.</para>
/// <para>A <see cref="TemplateObject"/> is written as docker writes a formatter context: through
/// a Go map marshalled with HTML escaping, so keys sorted and <c>&lt;</c> as <c>\u003c</c>.</para>
/// </remarks>
internal static class GoJson
{
    private const string Hex = "0123456789abcdef";

    /// <summary>The encoded text, or null where Go's encoder fails (a function value).</summary>
    public static string? Marshal(object? value)
    {
        var sb = new StringBuilder();
        return TryWrite(sb, value, escapeHtml: false) ? sb.ToString() : null;
    }

    private static bool TryWrite(StringBuilder sb, object? value, bool escapeHtml)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return true;
            case string s:
                WriteString(sb, s, escapeHtml);
                return true;
            case bool b:
                sb.Append(b ? "true" : "false");
                return true;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return true;
            case ulong u:
                sb.Append(u.ToString(CultureInfo.InvariantCulture));
                return true;
            case byte by:
                sb.Append(by.ToString(CultureInfo.InvariantCulture));
                return true;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d)) return false;
                sb.Append(GoFloat.FormatJson(d));
                return true;
            case JsonObject map:
                return WriteObject(sb, map, escapeHtml);
            case TemplateObject obj:
                var sorted = obj.Fields.OrderBy(kv => kv.Key, Utf8Order.Instance);
                return WriteEntries(sb, sorted, escapeHtml: true);
            case TemplateFunction:
                return false;
            default:
                if (!GoValues.IsList(value)) return false;
                sb.Append('[');
                int n = GoValues.ListCount(value);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',');
                    if (!TryWrite(sb, GoValues.ListElement(value, i).Raw, escapeHtml)) return false;
                }
                sb.Append(']');
                return true;
        }
    }

    private static bool WriteObject(StringBuilder sb, JsonObject map, bool escapeHtml) =>
        WriteEntries(sb, map, escapeHtml);

    private static bool WriteEntries(StringBuilder sb, IEnumerable<KeyValuePair<string, JsonNode?>> entries, bool escapeHtml)
    {
        sb.Append('{');
        bool first = true;
        foreach (var kv in entries)
        {
            if (!first) sb.Append(',');
            first = false;
            WriteString(sb, kv.Key, escapeHtml);
            sb.Append(':');
            if (!TryWrite(sb, GoValues.FromJson(kv.Value), escapeHtml)) return false;
        }
        sb.Append('}');
        return true;
    }

    private static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        foreach (var r in s.EnumerateRunes())
        {
            int c = r.Value;
            switch (c)
            {
                case '\\': sb.Append("\\\\"); continue;
                case '"': sb.Append("\\\""); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case 0x2028: sb.Append("\\u2028"); continue;
                case 0x2029: sb.Append("\\u2029"); continue;
            }
            if (c < 0x20 || (escapeHtml && c is '<' or '>' or '&'))
            {
                sb.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                continue;
            }
            if (r.IsBmp) sb.Append((char)c);
            else sb.Append(char.ConvertFromUtf32(c));
        }
        sb.Append('"');
    }
}
