namespace Berth.Bench.Engine;

/// <summary>The timings of one case, per engine in the order first timed; the first is the baseline of the ratios.</summary>
internal sealed class Samples(string name, string unit = "ms")
{
    readonly List<(string Who, List<double> Values)> _values = [];

    public void Add(string who, double value)
    {
        var entry = _values.FirstOrDefault(t => t.Who == who);
        if (entry.Values is null)
            _values.Add(entry = (who, []));
        entry.Values.Add(value);
    }

    public double Time(string who, Action action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        action();
        double ms = clock.Elapsed.TotalMilliseconds;
        Add(who, ms);
        return ms;
    }

    /// <summary>Medians and the ratio to the first engine (lower is better for both time and memory).</summary>
    public void Print()
    {
        Console.WriteLine(name);
        double baseline = Median(_values[0].Values);
        foreach (var (who, values) in _values)
        {
            double median = Median(values);
            string ratio = who == _values[0].Who ? "baseline"
                : median >= baseline ? $"{median / baseline:0.00}x the {_values[0].Who}'s" : $"{baseline / median:0.00}x less than {_values[0].Who}";
            Console.WriteLine($"  {who,-10} median {median,10:0.0} {unit}  (min {values.Min(),10:0.0}, p90 {Percentile(values, 0.9),10:0.0})  {ratio}");
        }
    }

    /// <summary>The median as printed (for an even count, the lower middle value).</summary>
    public static double Median(List<double> values) => Percentile(values, 0.5);

    static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Round(p * (sorted.Length - 1)))];
    }
}
