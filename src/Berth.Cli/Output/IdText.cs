using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>How docker shortens what it lists: IDs to 12 characters, long texts to a width with "…".</summary>
internal static class IdText
{
    /// <summary>stringid.TruncateID: the digest algorithm goes, 12 characters stay.</summary>
    public static string TruncateId(string id)
    {
        int colon = id.IndexOf(':');
        if (colon >= 0)
            id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>formatter.Ellipsis: cut to <paramref name="maxWidth"/> display columns, the last being "…".</summary>
    public static string Ellipsis(string s, int maxWidth)
    {
        if (maxWidth <= 0)
            return "";
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count == 0)
            return s;
        if (maxWidth == 1)
            return runes[0].ToString();
        int width = 0;
        var cumulative = new List<int>(runes.Count);
        foreach (var r in runes)
        {
            width += DisplayWidth.RuneWidth(r);
            cumulative.Add(width);
        }
        if (width <= maxWidth)
            return s;
        var sb = new StringBuilder();
        for (int i = 0; i < runes.Count; i++)
        {
            if (cumulative[i] > maxWidth - 1)
                break;
            sb.Append(runes[i].ToString());
        }
        return sb.Append('…').ToString();
    }
}
