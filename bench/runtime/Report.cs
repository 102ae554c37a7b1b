namespace Berth.Bench.Runtime;

internal static class Report
{
    public static void Print(IReadOnlyList<RuntimeUnderTest> runtimes, int iterations)
    {
        double baseline = Median(runtimes[0].Cycles);
        Console.WriteLine($"bench/runtime: create + start + wait + delete of /bin/true, {iterations} cycles each, interleaved");
        Console.WriteLine("peak RSS: the largest of the create, start and delete commands (GNU time)");
        Console.WriteLine($"{"runtime",-15} {"median ms",10} {"p90 ms",8} {"vs " + runtimes[0].Name,20} {"peak RSS",10}");
        foreach (var r in runtimes)
        {
            double median = Median(r.Cycles);
            string ratio = r == runtimes[0] ? "1.00x" : $"{median / baseline:0.00}x slower";
            if (r != runtimes[0] && median < baseline)
                ratio = $"{baseline / median:0.00}x faster";
            Console.WriteLine($"{r.Name,-15} {median,10:0.00} {Percentile(r.Cycles, 0.9),8:0.00} {ratio,20} {Kib(r.CommandPeakRssKiB),10}");
        }
    }

    public static void PrintPhases(IReadOnlyList<RuntimeUnderTest> runtimes)
    {
        Console.WriteLine();
        Console.WriteLine($"{"median ms of",-15} " + string.Join(" ", RuntimeUnderTest.PhaseNames.Select(p => $"{p,8}")));
        foreach (var r in runtimes)
            Console.WriteLine($"{r.Name,-15} " + string.Join(" ", r.Phases.Select(p => $"{Median(p),8:0.00}")));
    }

    static string Kib(long kib) => $"{kib / 1024.0:0.0} MiB";

    static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
    }
}
