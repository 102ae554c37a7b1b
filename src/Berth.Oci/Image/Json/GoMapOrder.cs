namespace Berth.Oci.Image.Json;

/// <summary>
/// The order in which Go writes map keys: by their UTF-8 bytes, which is code point order. UTF-16 ordinal order
/// differs only for characters above U+FFFF against U+E000..U+FFFF, which this comparer puts after them.
/// </summary>
internal sealed class GoMapOrder : IComparer<string>
{
    public static readonly GoMapOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        ReadOnlySpan<char> a = x, b = y;
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Weight(a[i]) - Weight(b[i]);
            }
        }
        return a.Length - b.Length;
    }

    // Surrogates (U+D800..U+DFFF) lifted above U+FFFF, the rest of U+E000..U+FFFF moved down to close the gap.
    private static int Weight(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
