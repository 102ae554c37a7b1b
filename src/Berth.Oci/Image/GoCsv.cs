using System.Text;

namespace Berth.Oci.Image;

/// <summary>
/// One record of Go's encoding/csv, as docker and buildkit read their long option syntaxes (<c>--network name=...</c>,
/// <c>--secret id=...</c>, <c>RUN --mount=type=...</c>): commas split fields; a field that starts with a double quote
/// may hold commas, and <c>""</c> in it is one quote.
/// </summary>
public static class GoCsv
{
    /// <exception cref="FormatException">A quoted field without its closing quote (encoding/csv's ErrQuote).</exception>
    public static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    field.Append(line[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        if (quoted)
            throw new FormatException($"parse error: extraneous or missing \" in quoted-field: {line}");
        fields.Add(field.ToString());
        return fields;
    }
}
