using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>Go's <c>%q</c> for the strings in Docker's messages (printable ASCII and the usual escapes).</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        StringBuilder b = new(s.Length + 2);
        b.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        b.Append($"\\x{(int)c:x2}");
                    else
                        b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }
}
