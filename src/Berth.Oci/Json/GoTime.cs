using System.Globalization;

namespace Berth.Oci.Json;

/// <summary>
/// <see cref="DateTimeOffset"/> as Go's <c>time.Time</c> JSON: RFC 3339 with up to nine fractional digits,
/// trailing zeros trimmed, <c>Z</c> for a zero offset (<c>2024-01-02T03:04:05.1234567Z</c>). DateTimeOffset
/// holds 100 ns ticks, so at most seven digits are written.
/// </summary>
internal static class GoTime
{
    /// <summary>Enough characters for any value: date, time, seven digits, offset.</summary>
    public const int MaxLength = 40;

    /// <summary>Formats into <paramref name="destination"/> (at least <see cref="MaxLength"/> long); returns the length.</summary>
    public static int Format(DateTimeOffset value, Span<char> destination)
    {
        value.DateTime.TryFormat(destination, out int n, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        long fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            int digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            destination[n++] = '.';
            for (int i = n + digits - 1; i >= n; i--, fraction /= 10)
            {
                destination[i] = (char)('0' + fraction % 10);
            }
            n += digits;
        }
        TimeSpan offset = value.Offset;
        if (offset == TimeSpan.Zero)
        {
            destination[n++] = 'Z';
            return n;
        }
        destination[n++] = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        offset.TryFormat(destination[n..], out int offsetLength, "hh':'mm", CultureInfo.InvariantCulture);
        return n + offsetLength;
    }
}
