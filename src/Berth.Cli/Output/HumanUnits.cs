using System.Globalization;
using Berth.Cli.CommandLine;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>docker/go-units: durations and sizes for people, and the size syntax of flags ("512m", "1.5GiB").</summary>
internal static class HumanUnits
{
    static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>units.HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks".</summary>
    public static string Duration(TimeSpan d)
    {
        long seconds = (long)d.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if (seconds == 1)
            return "1 second";
        if (seconds < 60)
            return $"{seconds} seconds";
        long minutes = (long)d.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return $"{minutes} minutes";
        long hours = RoundHours(d);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return $"{hours} hours";
        if (hours < 24 * 7 * 2)
            return $"{hours / 24} days";
        if (hours < 24 * 30 * 2)
            return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24 / 30} months";
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    // Go's Duration.Round(time.Hour): halves away from zero.
    static long RoundHours(TimeSpan d)
    {
        long ticksPerHour = TimeSpan.TicksPerHour;
        long q = d.Ticks / ticksPerHour;
        long r = d.Ticks % ticksPerHour;
        return r + r < ticksPerHour ? q : q + 1;
    }

    /// <summary>units.HumanSizeWithPrecision(size, 3): decimal units, three significant digits ("4.26MB", "0B").</summary>
    public static string Size(double size, int precision = 3) => SizeWith(size, 1000, DecimalUnits, precision);

    /// <summary>units.BytesSize: binary units with 4 significant digits ("1.5GiB").</summary>
    public static string BytesSize(double size) => SizeWith(size, 1024, BinaryUnits, 4);

    static string SizeWith(double size, double numberBase, string[] units, int precision)
    {
        int i = 0;
        while (size >= numberBase && i < units.Length - 1)
        {
            size /= numberBase;
            i++;
        }
        return GoFloat.Format(size, 'g', precision) + units[i];
    }

    /// <summary>units.RAMInBytes: "512", "512k", "1.5g", "2GiB" in powers of 1024; the error as docker words it.</summary>
    public static long RamInBytes(string text)
    {
        if (!TryParseSize(text, 1024, out long value))
            throw new FlagValueException($"invalid size: '{text}'");
        return value;
    }

    /// <summary>units.FromHumanSize: the same syntax in powers of 1000.</summary>
    public static long FromHumanSize(string text)
    {
        if (!TryParseSize(text, 1000, out long value))
            throw new FlagValueException($"invalid size: '{text}'");
        return value;
    }

    static bool TryParseSize(string text, double numberBase, out long value)
    {
        value = 0;
        string s = text;
        int i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            i++;
        if (i == 0 || s[0] == '.' || !double.TryParse(s.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            return false;
        string suffix = s[i..];
        if (suffix.StartsWith(' '))
            suffix = suffix[1..];
        double multiplier = 1;
        if (suffix.Length > 0 && "kKmMgGtTpP".Contains(suffix[0]))
        {
            int power = "kmgtp".IndexOf(char.ToLowerInvariant(suffix[0])) + 1;
            multiplier = Math.Pow(numberBase, power);
            suffix = suffix[1..];
        }
        if (suffix.Length > 0 && suffix[0] is 'i' or 'I')
            suffix = suffix[1..];
        if (suffix.Length > 0 && suffix[0] is 'b' or 'B')
            suffix = suffix[1..];
        if (suffix.Length > 0)
            return false;
        value = (long)(number * multiplier);
        return true;
    }
}
