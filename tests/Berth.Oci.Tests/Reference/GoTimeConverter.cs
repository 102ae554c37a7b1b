using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Tests.Reference;

/// <summary>
/// <see cref="DateTimeOffset"/> as Go's <c>time.Time</c> JSON: RFC 3339 with up to nine fractional digits,
/// trailing zeros trimmed, <c>Z</c> for a zero offset (<c>2024-01-02T03:04:05.1234567Z</c>). DateTimeOffset
/// holds 100 ns ticks, so digits eight and nine of a Go timestamp are dropped when read.
/// </summary>
internal sealed class GoTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !TryParse(reader.GetString()!, out DateTimeOffset value))
        {
            throw new JsonException();
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[40];
        writer.WriteStringValue(text[..Format(value, text)]);
    }

    internal static int Format(DateTimeOffset value, Span<char> destination)
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
            fraction.TryFormat(destination[n..], out int written, new string('0', digits), CultureInfo.InvariantCulture);
            n += written;
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

    // RFC 3339 as Go's time.Parse(time.RFC3339) accepts it: 2006-01-02T15:04:05[.fraction](Z|±07:00).
    internal static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out int year) || !TryDigits(s[5..7], out int month) || !TryDigits(s[8..10], out int day)
            || !TryDigits(s[11..13], out int hour) || !TryDigits(s[14..16], out int minute) || !TryDigits(s[17..19], out int second))
        {
            return false;
        }
        int i = 19;
        long ticks = 0;
        if (s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (i - start < 7)
                {
                    ticks = ticks * 10 + (s[i] - '0');
                }
                i++;
            }
            if (i == start)
            {
                return false;
            }
            for (int d = i - start; d < 7; d++)
            {
                ticks *= 10;
            }
        }
        TimeSpan offset;
        ReadOnlySpan<char> zone = s[i..];
        if (zone is "Z")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':'
            && TryDigits(zone[1..3], out int offsetHours) && TryDigits(zone[4..6], out int offsetMinutes)
            && offsetHours < 24 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || year < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // before year 1 or after 9999 in UTC
        }
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
