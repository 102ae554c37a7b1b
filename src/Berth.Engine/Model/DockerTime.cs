using System.Globalization;

namespace Berth.Engine.Model;

/// <summary>
/// Times as Docker writes them: Go's <c>time.RFC3339Nano</c> (<c>2024-01-02T03:04:05.123456789Z</c>, fraction with
/// trailing zeros trimmed and left out when zero, <c>Z</c> for UTC, <c>±hh:mm</c> otherwise) and the zero time as
/// <see cref="Zero"/>. For the model's string fields (<c>Created</c>, <c>StartedAt</c>, ...) and, through the
/// serializer, every <see cref="DateTimeOffset"/> property.
/// </summary>
public static class DockerTime
{
    /// <summary>Go's zero <c>time.Time</c>: what Docker writes for "never" (<c>FinishedAt</c> of a running container).</summary>
    public const string Zero = "0001-01-01T00:00:00Z";

    /// <summary>Longest result: date, time, nine digits, offset.</summary>
    internal const int MaxLength = 35;

    /// <summary>RFC 3339 with the 100 ns precision of <see cref="DateTimeOffset"/> (at most seven digits).</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Format(value, buffer)]);
    }

    /// <summary>RFC 3339 in UTC with nanoseconds, from nanoseconds since the Unix epoch (as Docker keeps its clocks).</summary>
    public static string FormatUnixNanoseconds(long nanoseconds)
    {
        long seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000L;
        }
        Span<char> buffer = stackalloc char[MaxLength];
        int n = WriteDateTime(DateTimeOffset.FromUnixTimeSeconds(seconds), buffer);
        n += WriteFraction(fraction, 9, buffer[n..]);
        buffer[n++] = 'Z';
        return new string(buffer[..n]);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least <see cref="MaxLength"/> long); returns the length.</summary>
    internal static int Format(DateTimeOffset value, Span<char> destination)
    {
        int n = WriteDateTime(value, destination);
        n += WriteFraction(value.Ticks % TimeSpan.TicksPerSecond, 7, destination[n..]);
        TimeSpan offset = value.Offset;
        if (offset == TimeSpan.Zero)
        {
            destination[n++] = 'Z';
            return n;
        }
        destination[n++] = offset < TimeSpan.Zero ? '-' : '+';
        offset.Duration().TryFormat(destination[n..], out int offsetLength, "hh':'mm", CultureInfo.InvariantCulture);
        return n + offsetLength;
    }

    /// <summary>
    /// Reads RFC 3339 as Go's <c>time.Time</c> does: any number of fraction digits (those beyond 100 ns dropped),
    /// <c>Z</c> or a numeric offset.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ss is 19 characters; Go requires the seconds and the offset.
        if (text.Length < 20 || text[10] is not ('T' or 't'))
        {
            return false;
        }
        int fractionEnd = 19;
        if (text[19] == '.')
        {
            fractionEnd = 20;
            while (fractionEnd < text.Length && char.IsAsciiDigit(text[fractionEnd]))
            {
                fractionEnd++;
            }
            if (fractionEnd == 20)
            {
                return false;
            }
        }
        Span<char> normalized = stackalloc char[text.Length + 8];
        int n = 0;
        text[..19].CopyTo(normalized);
        n += 19;
        normalized[10] = 'T';
        // Seven digits, padded or cut: the "fffffff" of the exact format below.
        normalized[n++] = '.';
        for (int i = 0; i < 7; i++)
        {
            int source = 20 + i;
            normalized[n++] = source < fractionEnd ? text[source] : '0';
        }
        ReadOnlySpan<char> zone = text[fractionEnd..];
        if (zone is "Z" or "z")
        {
            normalized[n++] = 'Z';
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':')
        {
            zone.CopyTo(normalized[n..]);
            n += 6;
        }
        else
        {
            return false;
        }
        return DateTimeOffset.TryParseExact(normalized[..n], "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out value);
    }

    private static int WriteDateTime(DateTimeOffset value, Span<char> destination)
    {
        value.DateTime.TryFormat(destination, out int n, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        return n;
    }

    private static int WriteFraction(long fraction, int digits, Span<char> destination)
    {
        if (fraction == 0)
        {
            return 0;
        }
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }
        destination[0] = '.';
        for (int i = digits; i >= 1; i--, fraction /= 10)
        {
            destination[i] = (char)('0' + fraction % 10);
        }
        return digits + 1;
    }
}
