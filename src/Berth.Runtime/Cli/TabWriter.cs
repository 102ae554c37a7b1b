using System.Text;

namespace Berth.Runtime.Cli;

/// <summary>Go's text/tabwriter as runc uses it (minwidth 12, padding 3, spaces): columns sized to their widest cell.</summary>
internal static class TabWriter
{
    public static string Format(IReadOnlyList<string[]> rows, int minWidth = 12, int padding = 3)
    {
        int columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
            for (int c = 0; c < row.Length - 1; c++)
                widths[c] = Math.Max(widths[c], Math.Max(minWidth, row[c].Length + padding));
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                sb.Append(row[c]);
                if (c < row.Length - 1)
                    sb.Append(' ', widths[c] - row[c].Length);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
