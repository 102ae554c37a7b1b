using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>
/// The host's memory (MemTotal of /proc/meminfo, in bytes): dockerd reports it as the memory limit of a container
/// whose cgroup has none (the unlimited value is larger than any machine).
/// </summary>
public static class MachineMemory
{
    public static ulong Read() => Parse(File.ReadAllText("/proc/meminfo"));

    public static ulong Parse(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            // "MemTotal:       24683620 kB"
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong value = ulong.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
            return fields.Length > 2 && fields[2] == "kB" ? value * 1024 : value;
        }
        return 0;
    }
}
