using Berth.Bench.Runtime;

// bench/runtime: the full cycle create, start, wait, delete of /bin/true in a busybox bundle, for
// berth-runtime, runc and crun in one run, interleaved so that machine noise hits them alike.
// Prints each runtime's median and p90 cycle time, the ratio to berth-runtime, and peak RSS.
var options = BenchOptions.Parse(args);
using var bundle = BenchBundle.Create();
var runtimes = options.Runtimes.Select(name => RuntimeUnderTest.Find(name, options.BerthPath)).Where(r => r is not null).Select(r => r!).ToList();
if (runtimes.Count == 0)
{
    Console.Error.WriteLine("no runtime to measure");
    return 1;
}
Berth.Linux.Processes.SetChildSubreaper();
foreach (var r in runtimes)
    for (int i = 0; i < options.Warmup; i++)
        r.Cycle(bundle.Path, $"warm-{i}");
for (int i = 0; i < options.Iterations; i++)
    foreach (var r in runtimes)
        r.Record(r.Cycle(bundle.Path, $"c{i}"));
// Memory apart from timing: GNU time, which measures it, costs time of its own.
foreach (var r in runtimes)
    for (int i = 0; i < 3; i++)
        r.Cycle(bundle.Path, $"rss-{i}", measureMemory: true);
Report.Print(runtimes, options.Iterations);
Report.PrintPhases(runtimes);
foreach (var r in runtimes)
    r.Dispose();
return 0;
