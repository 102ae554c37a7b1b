using System.Globalization;
using Berth.Cli.Client;

namespace Berth.Cli.Output;

/// <summary>Times as the docker CLI prints and reads them (Go's time.Time.String, docker's timetypes).</summary>
internal static class GoTime
{
    /// <summary>Go's Time.String() of a Unix time in the local zone: "2026-11-30 01:24:49 +0000 UTC".</summary>
    public static string UnixString(long seconds) => LocalString(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public static string LocalString(DateTimeOffset time)
    {
        var local = TimeZoneInfo.ConvertTime(time, TimeZoneInfo.Local);
        string frac = "";
        long ticks = local.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
            frac = "." + (ticks * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + frac + " " + Offset(local.Offset) + " " + ZoneName(local);
    }

    static string Offset(TimeSpan offset)
    {
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return $"{sign}{offset.Hours:D2}{offset.Minutes:D2}";
    }

    // Go prints the zone's abbreviation; without a tz database lookup the numeric offset stands in, as Go does
    // for a zone that has no abbreviation.
    static string ZoneName(DateTimeOffset local) =>
        local.Offset == TimeSpan.Zero && (TimeZoneInfo.Local.Id is "UTC" or "Etc/UTC" or "Universal" or "Zulu" || TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero)
            ? "UTC"
            : Offset(local.Offset);

    /// <summary>"2 minutes ago" of a Unix time, as the CLI computes RunningFor and CreatedSince (clock of the client).</summary>
    public static string Ago(long unixSeconds) =>
        HumanUnits.Duration(DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    /// <summary>Parses the daemon's RFC 3339 times ("2026-11-30T01:24:47.390837836Z").</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
            return false;
        // .NET takes 7 fractional digits at most: cut the nanoseconds.
        string s = text;
        int dot = s.IndexOf('.');
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
                end++;
            if (end - dot - 1 > 7)
                s = s[..(dot + 8)] + s[end..];
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    /// <summary>Go's time.ANSIC ("Mon Jan _2 15:04:05 2006") in UTC, as docker version shows build times.</summary>
    public static string Ansic(DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        return t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// docker's timetypes.GetTimestamp: --since/--until values as the API takes them ("seconds.nanoseconds"): a Go
    /// duration counts back from now, RFC 3339 dates and times (with or without zone, local when without) and Unix
    /// timestamps pass.
    /// </summary>
    public static string Timestamp(string value, DateTimeOffset now)
    {
        if (Berth.Engine.GoDuration.TryParse(value, out var duration))
            return (now - duration).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture); // whole seconds, as docker sends
        if (value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] == '-') && !value.Contains('-', StringComparison.Ordinal) && !value.Contains(':'))
        {
            // A Unix timestamp, possibly with fractional seconds: passed as it is.
            string[] parts = value.Split('.');
            if (parts.Length <= 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
                return value;
        }
        string[] layouts =
        [
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HHK",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd",
        ];
        string trimmed = TrimNanos(value);
        bool hasZone = trimmed.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"T.*[+-]\d\d:?\d\d$");
        if (DateTimeOffset.TryParseExact(trimmed, layouts, CultureInfo.InvariantCulture,
                hasZone ? DateTimeStyles.None : DateTimeStyles.AssumeLocal, out var parsed))
            return UnixText(parsed);
        throw new CliException($"failed to parse value as time or duration: \"{value}\"");
    }

    static string TrimNanos(string value)
    {
        int dot = value.IndexOf('.');
        if (dot < 0)
            return value;
        int end = dot + 1;
        while (end < value.Length && char.IsAsciiDigit(value[end]))
            end++;
        return end - dot - 1 > 7 ? value[..(dot + 8)] + value[end..] : value;
    }

    static string UnixText(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + (rest * 100).ToString("D9", CultureInfo.InvariantCulture);
    }
}
