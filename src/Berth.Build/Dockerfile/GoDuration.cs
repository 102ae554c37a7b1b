using Berth.Oci.Image;
using System.Globalization;

namespace Berth.Build.Dockerfile;

/// <summary>Go's <c>time.ParseDuration</c> (<c>1h30m</c>, <c>1.5s</c>, <c>300ms</c>), with its error texts.</summary>
internal static class GoDuration
{
    public static TimeSpan Parse(string s)
    {
        string quoted = GoQuote.Quote(s);
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is '-' or '+')
            negative = s[i++] == '-';
        if (s[i..] == "0")
            return TimeSpan.Zero;
        if (i == s.Length)
            throw new DockerfileException($"time: invalid duration {quoted}");
        decimal total = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            bool digits = i > start;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                int fraction = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
                digits |= i > fraction;
            }
            if (!digits)
                throw new DockerfileException($"time: invalid duration {quoted}");
            decimal number = decimal.Parse(s[start..i] is ['.', ..] n ? "0" + n : s[start..i].TrimEnd('.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            int unitStart = i;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
                i++;
            if (i == unitStart)
                throw new DockerfileException($"time: missing unit in duration {quoted}");
            string unit = s[unitStart..i];
            decimal nanos = unit switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => throw new DockerfileException($"time: unknown unit {GoQuote.Quote(unit)} in duration {quoted}"),
            };
            total += number * nanos;
            if (total > long.MaxValue)
                throw new DockerfileException($"time: invalid duration {quoted}");
        }
        long ticks = (long)(total / 100m);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }
}
