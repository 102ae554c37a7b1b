namespace Berth.Linux.Cgroups;

/// <summary>Resource usage from cgroup v1 files, in the units of runc's <c>events --stats</c>.</summary>
public static class StatsV1
{
    /// <summary>USER_HZ: cpuacct.stat counts in ticks of 1/100 s.</summary>
    const ulong NanosecondsPerTick = 10_000_000;

    /// <param name="dirOf">The cgroup's directory in the hierarchy of a controller ("memory"), null where none is mounted.</param>
    public static CgroupStats Read(Func<string, string?> dirOf)
    {
        var s = new CgroupStats();
        if (dirOf("cpuacct") is { } cpuacct)
            Cpuacct(cpuacct, s);
        if (dirOf("cpu") is { } cpu)
            Throttling(cpu, s);
        if (dirOf("memory") is { } memory)
            Memory(memory, s);
        if (dirOf("pids") is { } pids)
        {
            s.PidsCurrent = Number(pids, "pids.current");
            ulong max = Number(pids, "pids.max");
            s.PidsLimit = max == ulong.MaxValue ? 0 : max;
        }
        if (dirOf("blkio") is { } blkio)
            Blkio(blkio, s);
        if (dirOf("hugetlb") is { } hugetlb)
            Hugetlb(hugetlb, s);
        return s;
    }

    /// <summary>A number from a file, 0 when the file is not there.</summary>
    public static ulong Number(string dir, string file)
        => CgroupFiles.TryRead(dir, file, out string text) && text.Trim().Length > 0 ? CgroupFiles.ParseUInt64(text.Trim(), Path.Join(dir, file)) : 0;

    /// <summary>A flat keyed file, empty when the file is not there.</summary>
    public static Dictionary<string, ulong> KeyValues(string dir, string file)
        => CgroupFiles.TryRead(dir, file, out string text) ? CgroupFiles.ParseKeyValues(text, Path.Join(dir, file)) : [];

    static void Cpuacct(string dir, CgroupStats s)
    {
        s.CpuUsageTotal = Number(dir, "cpuacct.usage");
        if (CgroupFiles.TryRead(dir, "cpuacct.usage_percpu", out string percpu))
            s.CpuUsagePerCpu = CgroupFiles.Words(percpu).Select(w => CgroupFiles.ParseUInt64(w)).ToList();
        var stat = KeyValues(dir, "cpuacct.stat");
        s.CpuUsageUser = stat.GetValueOrDefault("user") * NanosecondsPerTick;
        s.CpuUsageKernel = stat.GetValueOrDefault("system") * NanosecondsPerTick;
    }

    static void Throttling(string dir, CgroupStats s)
    {
        var stat = KeyValues(dir, "cpu.stat");
        s.ThrottlingPeriods = stat.GetValueOrDefault("nr_periods");
        s.ThrottledPeriods = stat.GetValueOrDefault("nr_throttled");
        s.ThrottledTime = stat.GetValueOrDefault("throttled_time");
    }

    static void Memory(string dir, CgroupStats s)
    {
        s.MemoryUsage = Number(dir, "memory.usage_in_bytes");
        s.MemoryMaxUsage = Number(dir, "memory.max_usage_in_bytes");
        s.MemoryFailcnt = Number(dir, "memory.failcnt");
        s.MemoryLimit = Number(dir, "memory.limit_in_bytes");
        s.MemoryStats = KeyValues(dir, "memory.stat");
        // v1 counts swap together with memory (memsw), which is what runc reports as swap.
        s.SwapUsage = Number(dir, "memory.memsw.usage_in_bytes");
        s.SwapLimit = Number(dir, "memory.memsw.limit_in_bytes");
    }

    /// <summary>As runc: the first family of files that has entries (BFQ, CFQ, then the throttle ones).</summary>
    static void Blkio(string dir, CgroupStats s)
    {
        foreach (var (bytes, ops) in new[]
        {
            ("blkio.bfq.io_service_bytes_recursive", "blkio.bfq.io_serviced_recursive"),
            ("blkio.io_service_bytes_recursive", "blkio.io_serviced_recursive"),
            ("blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_serviced_recursive"),
            ("blkio.throttle.io_service_bytes", "blkio.throttle.io_serviced"),
        })
        {
            var serviceBytes = BlkioEntries(dir, bytes);
            if (serviceBytes.Count == 0)
                continue;
            s.IoServiceBytes = serviceBytes;
            s.IoServiced = BlkioEntries(dir, ops);
            return;
        }
    }

    /// <summary>Lines "8:0 Read 4096", or "8:0 4096" in the files that count without an operation; the closing "Total N" line is left out.</summary>
    public static List<BlkioEntry> BlkioEntries(string dir, string file)
    {
        var entries = new List<BlkioEntry>();
        if (!CgroupFiles.TryRead(dir, file, out string text))
            return entries;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = CgroupFiles.Words(line);
            if (words.Length is not (2 or 3))
                continue;
            var device = words[0].Split(':');
            if (device.Length != 2)
                continue;
            entries.Add(new BlkioEntry
            {
                Major = CgroupFiles.ParseUInt64(device[0]),
                Minor = CgroupFiles.ParseUInt64(device[1]),
                Op = words.Length == 3 ? words[1] : "",
                Value = CgroupFiles.ParseUInt64(words[^1]),
            });
        }
        return entries;
    }

    static void Hugetlb(string dir, CgroupStats s)
    {
        foreach (var size in PageSizes(dir, ".limit_in_bytes"))
        {
            s.Hugetlb[size] = new HugetlbUsage
            {
                Usage = Number(dir, $"hugetlb.{size}.usage_in_bytes"),
                Max = Number(dir, $"hugetlb.{size}.max_usage_in_bytes"),
                Failcnt = Number(dir, $"hugetlb.{size}.failcnt"),
            };
        }
    }

    /// <summary>The page sizes that have a hugetlb.SIZE.SUFFIX file (reserved-page files left out).</summary>
    public static IEnumerable<string> PageSizes(string dir, string suffix)
    {
        if (!Directory.Exists(dir))
            yield break;
        foreach (var path in Directory.EnumerateFiles(dir, "hugetlb.*" + suffix))
        {
            string name = Path.GetFileName(path);
            string size = name["hugetlb.".Length..^suffix.Length];
            if (!size.Contains('.'))
                yield return size;
        }
    }
}
