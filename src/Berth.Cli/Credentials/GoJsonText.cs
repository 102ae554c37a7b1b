using System.Text;

namespace Berth.Cli.Credentials;

/// <summary>
/// JSON objects of strings as Go's encoding/json writes them by default (json.Marshal, json.Encoder): fields in the
/// order given, strings escaped as <see cref="Oci.Image.GoJsonBytes"/> does (&lt; &gt; &amp;, U+2028, U+2029). What docker sends a
/// credential helper or the daemon is written so, and a helper may keep the very line it was given: berth sends the
/// same bytes.
/// </summary>
internal static class GoJsonText
{
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

    /// <summary>A string as Go's encoding/json writes it (<see cref="Oci.Image.GoJsonBytes.WriteEncodingJsonString"/>).</summary>
    public static void AppendString(StringBuilder sb, string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        var written = new byte[Oci.Image.GoJsonBytes.MaxLength(utf8.Length)];
        int n = Oci.Image.GoJsonBytes.WriteEncodingJsonString(utf8, written);
        sb.Append(Encoding.UTF8.GetString(written, 0, n));
    }
}
