using System.Globalization;

namespace Berth.Oci.Image;

/// <summary>
/// A point in time as Go's <c>time.Time</c> carries it through JSON: RFC 3339 with up to nine fractional digits
/// and the offset it was written with. <see cref="DateTimeOffset"/> alone keeps 100 ns, and Docker shows an image's
/// <c>Created</c> with the nanoseconds of its config (<c>2023-07-18T23:19:33.655005962Z</c>), so Berth keeps them.
/// Equality and order are by instant, as Go's <c>time.Equal</c>; the offset only affects <see cref="ToString"/>.
/// </summary>
public readonly struct Timestamp : IEquatable<Timestamp>, IComparable<Timestamp>
{
    private const long NanosecondsPerTick = 100;

    // Whole seconds of the instant, in the offset it was written with; the fraction lives in nanosecond.
    private readonly DateTimeOffset _seconds;
    private readonly int _nanosecond;

    private Timestamp(DateTimeOffset seconds, int nanosecond)
    {
        _seconds = seconds;
        _nanosecond = nanosecond;
    }

    /// <summary>The instant, rounded down to DateTimeOffset's 100 ns.</summary>
    public DateTimeOffset Value => _seconds.AddTicks(_nanosecond / NanosecondsPerTick);

    /// <summary>Nanoseconds within the second, 0 to 999 999 999.</summary>
    public int Nanosecond => _nanosecond;

    public TimeSpan Offset => _seconds.Offset;

    public static Timestamp FromDateTimeOffset(DateTimeOffset value)
    {
        long fraction = value.Ticks % TimeSpan.TicksPerSecond;
        return new Timestamp(value.AddTicks(-fraction), (int)(fraction * NanosecondsPerTick));
    }

    public static implicit operator Timestamp(DateTimeOffset value) => FromDateTimeOffset(value);

    /// <summary>
    /// RFC 3339 as Go's <c>time.Time.UnmarshalJSON</c> accepts it: <c>2006-01-02T15:04:05[.fraction](Z|±hh:mm)</c>,
    /// digits after the ninth dropped, years 0001 to 9999 (DateTimeOffset's range).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Timestamp value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out int year) || !TryDigits(s[5..7], out int month) || !TryDigits(s[8..10], out int day)
            || !TryDigits(s[11..13], out int hour) || !TryDigits(s[14..16], out int minute) || !TryDigits(s[17..19], out int second))
        {
            return false;
        }
        int i = 19;
        int nanosecond = 0;
        if (s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (i - start < 9)
                {
                    nanosecond = nanosecond * 10 + (s[i] - '0');
                }
                i++;
            }
            if (i == start)
            {
                return false;
            }
            for (int digits = i - start; digits < 9; digits++)
            {
                nanosecond *= 10;
            }
        }
        if (!TryZone(s[i..], out TimeSpan offset)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        try
        {
            value = new Timestamp(new DateTimeOffset(year, month, day, hour, minute, second, offset), nanosecond);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // 0001-01-01T00:00:00+01:00 and the like: before DateTimeOffset's first instant in UTC
        }
    }

    /// <summary>Go's <c>time.RFC3339Nano</c>: the fraction without trailing zeros, <c>Z</c> for a zero offset.</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[40];
        _seconds.DateTime.TryFormat(text, out int n, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        if (_nanosecond != 0)
        {
            int fraction = _nanosecond;
            int digits = 9;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            text[n++] = '.';
            for (int d = n + digits - 1; d >= n; d--, fraction /= 10)
            {
                text[d] = (char)('0' + fraction % 10);
            }
            n += digits;
        }
        TimeSpan offset = _seconds.Offset;
        if (offset == TimeSpan.Zero)
        {
            text[n++] = 'Z';
        }
        else
        {
            text[n++] = offset < TimeSpan.Zero ? '-' : '+';
            offset.Duration().TryFormat(text[n..], out int written, "hh':'mm", CultureInfo.InvariantCulture);
            n += written;
        }
        return new string(text[..n]);
    }

    public bool Equals(Timestamp other) => _seconds.UtcTicks == other._seconds.UtcTicks && _nanosecond == other._nanosecond;

    public override bool Equals(object? obj) => obj is Timestamp other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_seconds.UtcTicks, _nanosecond);

    public int CompareTo(Timestamp other)
    {
        int bySecond = _seconds.UtcTicks.CompareTo(other._seconds.UtcTicks);
        return bySecond != 0 ? bySecond : _nanosecond.CompareTo(other._nanosecond);
    }

    public static bool operator ==(Timestamp left, Timestamp right) => left.Equals(right);

    public static bool operator !=(Timestamp left, Timestamp right) => !left.Equals(right);

    private static bool TryZone(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "Z")
        {
            return true;
        }
        if (zone.Length != 6 || zone[0] is not ('+' or '-') || zone[3] != ':'
            || !TryDigits(zone[1..3], out int hours) || !TryDigits(zone[4..6], out int minutes) || hours > 23 || minutes > 59)
        {
            return false;
        }
        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
