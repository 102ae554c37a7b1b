namespace Berth.Linux;

/// <summary>One line of /proc/self/mountinfo.</summary>
public sealed record MountInfo(int Id, int ParentId, string Root, string MountPoint, string Options, string OptionalFields, string FsType, string Source, string SuperOptions)
{
    public bool IsShared => OptionalFields.Contains("shared:", StringComparison.Ordinal);

    public static IReadOnlyList<MountInfo> Read(string file = "/proc/self/mountinfo")
    {
        var list = new List<MountInfo>();
        foreach (var line in File.ReadLines(file))
        {
            var parsed = Parse(line);
            if (parsed is not null)
                list.Add(parsed);
        }
        return list;
    }

    public static MountInfo? Parse(string line)
    {
        // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
        int dash = line.IndexOf(" - ", StringComparison.Ordinal);
        if (dash < 0)
            return null;
        var head = line[..dash].Split(' ');
        var tail = line[(dash + 3)..].Split(' ');
        if (head.Length < 6 || tail.Length < 3)
            return null;
        return new MountInfo(int.Parse(head[0]), int.Parse(head[1]), Unescape(head[3]), Unescape(head[4]), head[5],
            string.Join(' ', head.Skip(6)), tail[0], Unescape(tail[1]), tail[2]);
    }

    /// <summary>The mount whose mount point is the longest prefix of <paramref name="path"/> (the last one if stacked).</summary>
    public static MountInfo? Containing(string path)
    {
        MountInfo? best = null;
        foreach (var m in Read())
        {
            bool under = path == m.MountPoint || m.MountPoint == "/" || path.StartsWith(m.MountPoint + "/", StringComparison.Ordinal);
            if (under && (best is null || m.MountPoint.Length >= best.MountPoint.Length))
                best = m;
        }
        return best;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    static string Unescape(string s)
    {
        if (!s.Contains('\\'))
            return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
                sb.Append(s[i]);
        }
        return sb.ToString();
    }

    static bool IsOctal(string s, int at) => at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
