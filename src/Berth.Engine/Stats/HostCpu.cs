using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>
/// The host's CPU time and CPU count from /proc/stat, as dockerd computes them for <c>system_cpu_usage</c> and
/// <c>online_cpus</c>: the first seven fields of the "cpu" line (user to softirq, in USER_HZ ticks of 1/100 s) in
/// nanoseconds, and the number of "cpuN" lines.
/// </summary>
public static class HostCpu
{
    const ulong NanosecondsPerTick = 1_000_000_000 / 100;

    public static (ulong SystemUsage, uint OnlineCpus) Read() => Parse(File.ReadAllText("/proc/stat"));

    public static (ulong SystemUsage, uint OnlineCpus) Parse(string procStat)
    {
        ulong usage = 0;
        uint cpus = 0;
        foreach (var line in procStat.Split('\n'))
        {
            // The cpu lines come first (glibc's get_nprocs reads them the same way).
            if (line.Length < 4 || !line.StartsWith("cpu", StringComparison.Ordinal))
                break;
            if (line[3] == ' ')
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 8)
                    throw new FormatException("/proc/stat: invalid number of cpu fields");
                ulong ticks = 0;
                foreach (var field in fields.AsSpan(1, 7))
                    ticks += ulong.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture);
                usage = ticks * NanosecondsPerTick;
            }
            else if (char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }
        return (usage, cpus);
    }
}
