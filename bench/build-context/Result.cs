using System.Diagnostics;

namespace Berth.Bench.BuildContext;

/// <summary>The timings of one case: per contender, in the order first timed; the first is the baseline of the ratios.</summary>
internal sealed class Result(string name)
{
    readonly List<(string Who, List<double> Ms)> _times = [];

    /// <summary>
    /// Times <paramref name="action"/> after a sync(1), so that no contender pays for writing back the dirty pages of
    /// the one before it; a warm-up run (JIT, page cache) is done but not kept.
    /// </summary>
    public void Time(string who, bool warmUp, Action action)
    {
        Tree.Run("sync");
        var clock = Stopwatch.StartNew();
        action();
        double ms = clock.Elapsed.TotalMilliseconds;
        if (warmUp)
            return;
        var entry = _times.FirstOrDefault(t => t.Who == who);
        if (entry.Ms is null)
            _times.Add(entry = (who, []));
        entry.Ms.Add(ms);
    }

    public void Print()
    {
        Console.WriteLine(name);
        double baseline = Median(_times[0].Ms);
        foreach (var (who, ms) in _times)
        {
            double median = Median(ms);
            string ratio = median <= baseline ? $"{baseline / median:0.00}x faster" : $"{median / baseline:0.00}x slower";
            Console.WriteLine($"  {who,-16} median {median,8:0.0} ms  (min {ms.Min(),8:0.0})  {(who == _times[0].Who ? "baseline" : ratio + " than " + _times[0].Who)}");
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
