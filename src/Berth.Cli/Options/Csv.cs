using System.Text;

namespace Berth.Cli.Options;

/// <summary>The CSV of docker's and buildx's long flag syntaxes (--network name=..., --secret id=...,src=...).</summary>
internal static class Csv
{
    /// <summary>One CSV record (encoding/csv): commas split fields, a field in double quotes may hold commas and "".</summary>
    public static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    sb.Append(line[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    sb.Append(c);
            }
            else if (c == '"' && sb.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
