using System.Globalization;
using System.Reflection;

namespace Berth.Api.Endpoints;

/// <summary>The Docker Engine API versions berthd speaks, and Docker's answers to clients outside them.</summary>
public static class ApiVersion
{
    public const string Current = "1.50";
    public const string Minimum = "1.24";

    /// <summary>The Docker release whose API (1.50) berthd serves: clients that gate features on the engine's version see what they expect.</summary>
    public const string EngineVersion = "28.2.2";

    public const string BerthVersion = "0.4.0";

    /// <summary>The commit berthd was built from, short (the SDK puts it after '+' in the informational version); "" when unknown.</summary>
    public static string GitCommit { get; } =
        typeof(ApiVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v && v.IndexOf('+') is var plus and >= 0
            ? v[(plus + 1)..][..Math.Min(7, v.Length - plus - 1)]
            : "";

    /// <summary>Null when acceptable, else Docker's error text.</summary>
    public static string? Check(string? requested)
    {
        if (requested is null)
            return null;
        if (Compare(requested, Current) > 0)
            return $"client version {requested} is too new. Maximum supported API version is {Current}";
        if (Compare(requested, Minimum) < 0)
            return $"client version {requested} is too old. Minimum supported API version is {Minimum}, please upgrade your client to a newer version";
        return null;
    }

    /// <summary>The version a request speaks: the one in its path, else the current one.</summary>
    public static string Of(string? requested) => requested ?? Current;

    /// <summary>True when <paramref name="version"/> is lower than <paramref name="other"/> (as Docker's versions.LessThan).</summary>
    public static bool LessThan(string version, string other) => Compare(version, other) < 0;

    static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int xi = i < x.Length && int.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
            int yi = i < y.Length && int.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out int q) ? q : 0;
            if (xi != yi)
                return xi.CompareTo(yi);
        }
        return 0;
    }
}
