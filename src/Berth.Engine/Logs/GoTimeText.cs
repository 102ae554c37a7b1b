namespace Berth.Engine.Logs;

/// <summary>
/// Go's time formats for log entries, in UTF-8 and without allocating: RFC3339Nano (fraction trimmed of trailing
/// zeros, as json-file's "time" field) and Docker's RFC3339NanoFixed (always nine digits, as the timestamps of
/// <c>docker logs -t</c>), always in UTC as dockerd writes them; and a parser for both. DateTimeOffset counts
/// 100 ns ticks, so the last two of nine digits are always zero when written and dropped when read.
/// </summary>
internal static class GoTimeText
{
    /// <summary>"2006-01-02T15:04:05.999999999Z".</summary>
    public const int MaxLength = 30;

    public static int FormatNano(DateTimeOffset time, Span<byte> destination) => Format(time, destination, fixedFraction: false);

    public static int FormatNanoFixed(DateTimeOffset time, Span<byte> destination) => Format(time, destination, fixedFraction: true);

    static int Format(DateTimeOffset time, Span<byte> d, bool fixedFraction)
    {
        DateTime utc = time.UtcDateTime;
        Digits(d, 0, utc.Year, 4);
        d[4] = (byte)'-';
        Digits(d, 5, utc.Month, 2);
        d[7] = (byte)'-';
        Digits(d, 8, utc.Day, 2);
        d[10] = (byte)'T';
        Digits(d, 11, utc.Hour, 2);
        d[13] = (byte)':';
        Digits(d, 14, utc.Minute, 2);
        d[16] = (byte)':';
        Digits(d, 17, utc.Second, 2);
        int n = 19;
        long nanoseconds = utc.Ticks % TimeSpan.TicksPerSecond * 100;
        if (fixedFraction || nanoseconds != 0)
        {
            int digits = 9;
            if (!fixedFraction)
            {
                while (nanoseconds % 10 == 0)
                {
                    nanoseconds /= 10;
                    digits--;
                }
            }
            d[n++] = (byte)'.';
            Digits(d, n, nanoseconds, digits);
            n += digits;
        }
        d[n++] = (byte)'Z';
        return n;
    }

    static void Digits(Span<byte> d, int at, long value, int count)
    {
        for (int i = at + count - 1; i >= at; i--, value /= 10)
            d[i] = (byte)('0' + value % 10);
    }

    /// <summary>RFC 3339 with any number of fractional digits and Z or a numeric offset; the result is in UTC.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':')
            return false;
        if (!Number(s, 0, 4, out int year) || !Number(s, 5, 2, out int month) || !Number(s, 8, 2, out int day)
            || !Number(s, 11, 2, out int hour) || !Number(s, 14, 2, out int minute) || !Number(s, 17, 2, out int second))
            return false;
        int i = 19;
        long ticks = 0;
        if (s[i] == '.')
        {
            i++;
            int start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && s[i] - (uint)'0' <= 9)
            {
                if (scale > 1)
                {
                    scale /= 10;
                    ticks += (s[i] - '0') * scale;
                }
                i++;
            }
            if (i == start)
                return false;
        }
        if (i >= s.Length)
            return false;
        TimeSpan offset;
        if ((s[i] | 0x20) == 'z' && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if (s[i] is (byte)'+' or (byte)'-' && i + 6 == s.Length && s[i + 3] == ':'
            && Number(s, i + 1, 2, out int offsetHours) && Number(s, i + 4, 2, out int offsetMinutes))
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (s[i] == '-')
                offset = -offset;
        }
        else
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
            return false;
        long utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks + ticks - offset.Ticks;
        if (utcTicks is < 0 or > 3155378975999999999) // DateTime.MaxValue.Ticks
            return false;
        time = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    static bool Number(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        for (int i = at; i < at + count; i++)
        {
            uint digit = s[i] - (uint)'0';
            if (digit > 9)
                return false;
            value = value * 10 + (int)digit;
        }
        return true;
    }
}
