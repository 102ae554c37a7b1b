using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's json.Indent: re-indents JSON text without re-encoding it, so that strings, numbers and key order stay
/// exactly as the daemon wrote them ("docker inspect" prints the daemon's bytes this way, four spaces deep).
/// </summary>
internal static class JsonIndent
{
    public static string Indent(string json, string prefix = "", string indent = "    ")
    {
        var sb = new StringBuilder(json.Length * 2);
        int depth = 0;
        bool needIndent = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (c is ' ' or '\t' or '\n' or '\r')
                continue;
            if (needIndent && c is not (']' or '}'))
            {
                needIndent = false;
                depth++;
                NewLine(sb, prefix, indent, depth);
            }
            switch (c)
            {
                case '"':
                    int start = i++;
                    while (i < json.Length && json[i] != '"')
                    {
                        if (json[i] == '\\')
                            i++;
                        i++;
                    }
                    sb.Append(json, start, Math.Min(i, json.Length - 1) - start + 1);
                    break;
                case '{':
                case '[':
                    sb.Append(c);
                    needIndent = true;
                    break;
                case ',':
                    sb.Append(c);
                    NewLine(sb, prefix, indent, depth);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                case '}':
                case ']':
                    if (needIndent)
                        needIndent = false; // an empty {} or []
                    else
                    {
                        depth--;
                        NewLine(sb, prefix, indent, depth);
                    }
                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    static void NewLine(StringBuilder sb, string prefix, string indent, int depth)
    {
        sb.Append('\n').Append(prefix);
        for (int d = 0; d < depth; d++)
            sb.Append(indent);
    }
}
