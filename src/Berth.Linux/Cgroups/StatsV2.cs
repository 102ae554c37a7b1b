using static Berth.Linux.Cgroups.StatsV1;

namespace Berth.Linux.Cgroups;

/// <summary>Resource usage from a cgroup v2 directory, in the units (and v1 meanings) of runc's <c>events --stats</c>.</summary>
public static class StatsV2
{
    /// <summary>Fills the parts whose controller <paramref name="include"/> says to take from v2 (all on a v2 machine).</summary>
    public static void Fill(string dir, CgroupStats s, Func<string, bool> include)
    {
        if (include("cpu"))
            Cpu(dir, s);
        if (include("memory") && CgroupFiles.Exists(dir, "memory.current"))
            Memory(dir, s);
        if (include("pids") && CgroupFiles.Exists(dir, "pids.current"))
        {
            s.PidsCurrent = Number(dir, "pids.current");
            ulong max = Number(dir, "pids.max");
            s.PidsLimit = max == ulong.MaxValue ? 0 : max;
        }
        if (include("io"))
            Io(dir, s);
        if (include("hugetlb"))
            Hugetlb(dir, s);
    }

    /// <summary>cpu.stat is there with or without the cpu controller; its times are in µs.</summary>
    static void Cpu(string dir, CgroupStats s)
    {
        var stat = KeyValues(dir, "cpu.stat");
        s.CpuUsageTotal = stat.GetValueOrDefault("usage_usec") * 1000;
        s.CpuUsageUser = stat.GetValueOrDefault("user_usec") * 1000;
        s.CpuUsageKernel = stat.GetValueOrDefault("system_usec") * 1000;
        s.ThrottlingPeriods = stat.GetValueOrDefault("nr_periods");
        s.ThrottledPeriods = stat.GetValueOrDefault("nr_throttled");
        s.ThrottledTime = stat.GetValueOrDefault("throttled_usec") * 1000;
    }

    static void Memory(string dir, CgroupStats s)
    {
        s.MemoryUsage = Number(dir, "memory.current");
        s.MemoryMaxUsage = Number(dir, "memory.peak");
        s.MemoryLimit = Number(dir, "memory.max");
        s.MemoryFailcnt = KeyValues(dir, "memory.events").GetValueOrDefault("max");
        s.MemoryStats = KeyValues(dir, "memory.stat");
        // v1 reports swap as memory+swap; so does runc on v2, for compatibility.
        ulong swap = Number(dir, "memory.swap.current");
        ulong swapMax = CgroupFiles.Exists(dir, "memory.swap.max") ? Number(dir, "memory.swap.max") : 0;
        s.SwapUsage = swap + s.MemoryUsage;
        s.SwapLimit = swapMax == ulong.MaxValue || s.MemoryLimit == ulong.MaxValue ? ulong.MaxValue : swapMax + s.MemoryLimit;
    }

    /// <summary>io.stat lines "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" as v1's Read/Write/Discard entries.</summary>
    static void Io(string dir, CgroupStats s)
    {
        if (!CgroupFiles.TryRead(dir, "io.stat", out string text))
            return;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = CgroupFiles.Words(line);
            var device = words[0].Split(':');
            if (device.Length != 2)
                continue;
            ulong major = CgroupFiles.ParseUInt64(device[0]), minor = CgroupFiles.ParseUInt64(device[1]);
            foreach (var word in words.Skip(1))
            {
                int eq = word.IndexOf('=');
                if (eq < 0)
                    continue;
                var (list, op) = word[..eq] switch
                {
                    "rbytes" => (s.IoServiceBytes, "Read"),
                    "wbytes" => (s.IoServiceBytes, "Write"),
                    "dbytes" => (s.IoServiceBytes, "Discard"),
                    "rios" => (s.IoServiced, "Read"),
                    "wios" => (s.IoServiced, "Write"),
                    "dios" => (s.IoServiced, "Discard"),
                    _ => (null, ""),
                };
                list?.Add(new BlkioEntry { Major = major, Minor = minor, Op = op, Value = CgroupFiles.ParseUInt64(word[(eq + 1)..]) });
            }
        }
    }

    static void Hugetlb(string dir, CgroupStats s)
    {
        foreach (var size in PageSizes(dir, ".max"))
        {
            s.Hugetlb[size] = new HugetlbUsage
            {
                Usage = Number(dir, $"hugetlb.{size}.current"),
                Failcnt = KeyValues(dir, $"hugetlb.{size}.events").GetValueOrDefault("max"),
            };
        }
    }
}
