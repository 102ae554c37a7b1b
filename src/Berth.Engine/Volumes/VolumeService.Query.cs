using System.Text.RegularExpressions;

namespace Berth.Engine.Volumes;

/// <summary>A volume with what <c>system df</c> and the dangling filter need: its users and its size.</summary>
public sealed record VolumeUsage(VolumeRecord Volume, int RefCount, long Size);

public sealed partial class VolumeService
{
    public static readonly string[] ListFilters = ["dangling", "driver", "label", "label!", "name"];

    public static readonly string[] PruneFilters = ["label", "label!", "all"];

    /// <summary><c>GET /volumes</c>: dangling (used by no container), driver, label, label! and name (a regular expression, as Docker's).</summary>
    public IReadOnlyList<VolumeRecord> List(Filters filters)
    {
        bool? dangling = Flag(filters, "dangling");
        var names = filters.Get("name");
        return [.. All().Where(v =>
            (dangling is not { } d || (References(v.Name).Count == 0) == d)
            && filters.MatchesExact("driver", v.Driver)
            && filters.MatchesLabels("label", v.Labels)
            && !NegatedLabelMatches(filters, v)
            && (names.Count == 0 || names.Any(n => Matches(n, v.Name))))];
    }

    /// <summary>
    /// <c>POST /volumes/prune</c>: every unused volume that the filters select; with <paramref name="anonymousOnly"/>
    /// (API 1.42+ unless <c>all=true</c>) only those made without a name.
    /// </summary>
    public (List<string> Deleted, long Reclaimed) Prune(Filters filters, bool anonymousOnly)
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        lock (_lock)
        {
            foreach (var volume in Store.All.OrderBy(v => v.Name, StringComparer.Ordinal).ToList())
            {
                if (anonymousOnly && !volume.IsAnonymous)
                    continue;
                if (!filters.MatchesLabels("label", volume.Labels) || NegatedLabelMatches(filters, volume) || References(volume.Name).Count > 0)
                    continue;
                long size = SizeOf(Store.DataPath(volume.Name));
                Destroy(volume.Name);
                deleted.Add(volume.Name);
                reclaimed += size;
            }
        }
        events.Publish("volume", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return (deleted, reclaimed);
    }

    /// <summary>Every volume with its users and size (<c>system df</c>).</summary>
    public IReadOnlyList<VolumeUsage> Usage()
        => [.. All().Select(v => new VolumeUsage(v, References(v.Name).Count, SizeOf(Store.DataPath(v.Name))))];

    /// <summary>Whether the prune's <c>all</c> filter asks for named volumes too.</summary>
    public static bool PruneAll(Filters filters) => Flag(filters, "all") == true;

    static bool? Flag(Filters filters, string name)
    {
        var values = filters.Get(name);
        if (values.Count == 0)
            return null;
        return values[0] switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            var v => throw EngineException.Invalid($"invalid filter '{name}={v}'"),
        };
    }

    /// <summary><c>label!=key</c> or <c>label!=key=value</c>: true when the volume has any of them.</summary>
    static bool NegatedLabelMatches(Filters filters, VolumeRecord volume)
    {
        foreach (string condition in filters.Get("label!"))
        {
            int eq = condition.IndexOf('=');
            string key = eq < 0 ? condition : condition[..eq];
            if (volume.Labels is not null && volume.Labels.TryGetValue(key, out string? value) && (eq < 0 || value == condition[(eq + 1)..]))
                return true;
        }
        return false;
    }

    static bool Matches(string pattern, string name)
    {
        try
        {
            return Regex.IsMatch(name, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return name.Contains(pattern, StringComparison.Ordinal);
        }
    }

    /// <summary>The bytes of the regular files below (Docker's directory.Size), 0 when it cannot be read.</summary>
    public static long SizeOf(string directory)
    {
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            return new DirectoryInfo(directory).EnumerateFiles("*", options).Where(f => f.LinkTarget is null).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
