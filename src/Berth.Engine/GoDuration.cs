using System.Globalization;

namespace Berth.Engine;

/// <summary>Go's time.ParseDuration syntax ("300ms", "1.5h", "2h45m"), as Docker's flags and filters use it.</summary>
public static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
            return false;
        if (text == "0")
            return true;
        double totalNs = 0;
        int i = 0;
        bool negative = text[0] == '-';
        if (text[0] is '-' or '+')
            i++;
        if (i == text.Length)
            return false;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                i++;
            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                return false;
            int unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
                i++;
            double unit = text[unitStart..i] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => double.NaN,
            };
            if (double.IsNaN(unit))
                return false;
            totalNs += value * unit;
        }
        duration = TimeSpan.FromTicks((long)(totalNs / 100) * (negative ? -1 : 1));
        return true;
    }
}
