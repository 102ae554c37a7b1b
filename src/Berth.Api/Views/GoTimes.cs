using System.Globalization;

namespace Berth.Api.Views;

/// <summary>Times as Docker's JSON writes them: Go's RFC3339Nano (trailing zeros of the fraction dropped), zero as year 1.</summary>
public static class GoTimes
{
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string Format(DateTimeOffset? time)
    {
        if (time is null)
            return Zero;
        var utc = time.Value.UtcDateTime;
        string fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }
}
