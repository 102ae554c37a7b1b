using System.Globalization;

namespace Berth.Engine.Shims;

/// <summary>Go's time.RFC3339Nano in UTC ("2024-05-01T10:20:30.1234567Z"), as Docker writes times.</summary>
public static class Rfc3339
{
    public static string Format(DateTimeOffset time)
    {
        // Seven digits (.NET's resolution) with Go's trailing zeros dropped.
        string text = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return (text.EndsWith('.') ? text[..^1] : text) + "Z";
    }

    public static bool TryParse(string text, out DateTimeOffset time)
    {
        // .NET takes at most seven fractional digits; Go writes up to nine.
        int dot = text.IndexOf('.');
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
                end++;
            if (end - dot - 1 > 7)
                text = text[..(dot + 8)] + text[end..];
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);
    }
}
