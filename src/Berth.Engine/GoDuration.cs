using System.Globalization;

namespace Berth.Engine;

/// <summary>Go's time.ParseDuration syntax ("300ms", "1.5h", "2h45m"), as Docker's flags and filters use it, and Duration.String.</summary>
public static class GoDuration
{
    /// <summary>Go's Duration.String: "0s", "1.5µs", "500ms", "30s", "1m30s", "2h0m0s" (as Docker's messages show durations).</summary>
    public static string Format(TimeSpan duration)
    {
        long ns = duration.Ticks * TimeSpan.NanosecondsPerTick;
        if (ns == 0)
            return "0s";
        string sign = ns < 0 ? "-" : "";
        ulong u = ns < 0 ? (ulong)-ns : (ulong)ns;
        if (u < 1_000_000_000)
        {
            // Below a second Go switches to the largest unit that keeps an integer part.
            var (scale, unit) = u < 1_000 ? (1UL, "ns") : u < 1_000_000 ? (1_000UL, "µs") : (1_000_000UL, "ms");
            return sign + WithFraction(u, scale) + unit;
        }
        ulong seconds = u / 1_000_000_000, minutes = seconds / 60, hours = minutes / 60;
        string text = WithFraction(seconds % 60 * 1_000_000_000 + u % 1_000_000_000, 1_000_000_000) + "s";
        if (minutes > 0)
            text = (hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "") + (minutes % 60).ToString(CultureInfo.InvariantCulture) + "m" + text;
        return sign + text;
    }

    /// <summary>value/scale in decimal, the fraction's trailing zeros (and a bare point) left out.</summary>
    static string WithFraction(ulong value, ulong scale)
    {
        string whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        ulong fraction = value % scale;
        if (fraction == 0)
            return whole;
        int digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }

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
