namespace Berth.Oci.Json;

/// <summary>String order of Go's sort.Strings, in which Go writes map keys: by UTF-8 bytes, which is code point order.</summary>
public sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        int length = Math.Min(x!.Length, y!.Length);
        for (int i = 0; i < length; i++)
        {
            char a = x[i], b = y[i];
            if (a != b)
            {
                return CodePointRank(a) - CodePointRank(b);
            }
        }
        return x.Length - y.Length;
    }

    // UTF-16 order differs from code point order only in that surrogates (U+D800-DFFF, which stand for
    // U+10000 and above) sort below U+E000-FFFF: move them above.
    private static int CodePointRank(char c) => c >= 0xE000 ? c - 0x800 : char.IsSurrogate(c) ? c + 0x2000 : c;
}
