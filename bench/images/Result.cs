using System.Diagnostics;

namespace Berth.Bench.Images;

/// <summary>
/// The timings of one case: per contender, in the order first timed; the first is the baseline of the ratios. Shared
/// by bench/images and bench/build-context.
/// </summary>
internal sealed class Result(string name)
{
    readonly List<(string Who, List<double> Ms)> _times = [];
    readonly Dictionary<string, long> _cpuTicks = [];

    /// <summary>
    /// Times <paramref name="action"/> after a sync(1), so that no contender pays for writing back the dirty pages of
    /// the one before it; a <paramref name="warmUp"/> run (page cache) is done but not kept.
    /// </summary>
    public void Time(string who, Action action, bool warmUp = false)
    {
        Commands.Run("sync");
        long cpu = CpuTicks();
        var clock = Stopwatch.StartNew();
        action();
        double ms = clock.Elapsed.TotalMilliseconds;
        cpu = CpuTicks() - cpu;
        if (warmUp)
            return;
        _cpuTicks[who] = _cpuTicks.GetValueOrDefault(who) + cpu;
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
            double cpu = _cpuTicks[who] * 1000.0 / TicksPerSecond / ms.Count;
            Console.WriteLine($"  {who,-22} median {median,9:0.0} ms  (min {ms.Min(),9:0.0}, cpu {cpu,6:0} ms)  {(who == _times[0].Who ? "baseline" : ratio + " than " + _times[0].Who)}");
        }
    }

    const int TicksPerSecond = 100; // USER_HZ

    /// <summary>
    /// CPU time (user + system) of this process and of its waited-for children, in clock ticks, from /proc/self/stat:
    /// wall time on a loaded 2-core machine says more about the neighbours than about the code.
    /// </summary>
    static long CpuTicks()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        return long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
