using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// fvbommel/sortorder's NaturalLess, the order of "docker network ls" (by name) and "docker port" (by line): runs
/// of digits compare as numbers ("net9" before "net10"), digits before other characters, the rest bytewise.
/// </summary>
internal static class NaturalOrder
{
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create((a, b) => Less(a, b) ? -1 : Less(b, a) ? 1 : 0);

    public static bool Less(string a, string b)
    {
        // Bytewise over UTF-8, as Go compares strings.
        byte[] s1 = Encoding.UTF8.GetBytes(a);
        byte[] s2 = Encoding.UTF8.GetBytes(b);
        int i1 = 0, i2 = 0;
        while (i1 < s1.Length && i2 < s2.Length)
        {
            byte c1 = s1[i1], c2 = s2[i2];
            bool d1 = IsDigit(c1), d2 = IsDigit(c2);
            if (d1 != d2)
                return d1;
            if (!d1)
            {
                if (c1 != c2)
                    return c1 < c2;
                i1++;
                i2++;
                continue;
            }
            while (i1 < s1.Length && s1[i1] == '0')
                i1++;
            while (i2 < s2.Length && s2[i2] == '0')
                i2++;
            int nonZero1 = i1, nonZero2 = i2;
            while (i1 < s1.Length && IsDigit(s1[i1]))
                i1++;
            while (i2 < s2.Length && IsDigit(s2[i2]))
                i2++;
            int len1 = i1 - nonZero1, len2 = i2 - nonZero2;
            if (len1 != len2)
                return len1 < len2;
            int cmp = s1.AsSpan(nonZero1, len1).SequenceCompareTo(s2.AsSpan(nonZero2, len2));
            if (cmp != 0)
                return cmp < 0;
            if (nonZero1 != nonZero2)
                return nonZero1 < nonZero2;
        }
        return s1.Length < s2.Length;
    }

    static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
