using System.Globalization;

namespace Berth.Engine.Containers;

/// <summary>Docker's cpuset lists ("0-3,5", parsers.ParseUintList): parsed, and checked against what the machine has.</summary>
public static class CpusetList
{
    /// <summary>
    /// Whether every number of <paramref name="requested"/> is in <paramref name="available"/> (an empty request
    /// always is); false with <paramref name="error"/> set when the request is not a list ("invalid format: x").
    /// </summary>
    public static bool IsSubset(string requested, string available, out string? error)
    {
        error = null;
        if (requested.Length == 0)
            return true;
        if (!TryParse(requested, out var wanted))
        {
            error = $"invalid format: {requested}";
            return false;
        }
        if (!TryParse(available, out var have) || have.Count == 0)
            return false;
        // Bounded by the largest available number first: "0-100000000" must not become a hundred million checks.
        int largest = have.Max(h => h.Last);
        return wanted.All(w => w.Last <= largest
            && Enumerable.Range(w.First, w.Last - w.First + 1).All(n => have.Any(h => n >= h.First && n <= h.Last)));
    }

    static bool TryParse(string text, out List<(int First, int Last)> ranges)
    {
        ranges = [];
        if (text.Length == 0)
            return true;
        foreach (var part in text.Split(','))
        {
            int dash = part.IndexOf('-');
            string first = dash < 0 ? part : part[..dash];
            string last = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(first, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int a)
                || !int.TryParse(last, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int b) || b < a)
                return false;
            ranges.Add((a, b));
        }
        return true;
    }
}
