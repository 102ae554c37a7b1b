using System.Text.Json;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

internal static partial class Commands
{
    static readonly Flag[] EventsFlags = [new("stats"), new("interval", TakesValue: true, Default: "5s")];

    /// <summary>`events`: stats every interval and an "oom" event whenever the kernel OOM-kills in the container.</summary>
    public static int Events(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, EventsFlags);
        string id = SingleId(line, "events");
        var container = Container.Load(global.Store, id);
        if (container.Status() == ContainerStatus.Stopped)
            throw RuntimeError.Conflict($"container with id {id} is not running");
        if (line.Has("stats"))
        {
            Output.Write(EventJson.Stats(id, container.Cgroup.Stats()));
            return 0;
        }
        var interval = ParseDuration(line.Get("interval")!);
        long ooms = container.Cgroup.OomKillCount();
        var nextStats = DateTime.UtcNow;
        while (container.Status() != ContainerStatus.Stopped)
        {
            long now = container.Cgroup.OomKillCount();
            if (now > ooms)
            {
                Output.Write(EventJson.Simple("oom", id));
                ooms = now;
            }
            if (DateTime.UtcNow >= nextStats)
            {
                Output.Write(EventJson.Stats(id, container.Cgroup.Stats()));
                nextStats = DateTime.UtcNow + interval;
            }
            Thread.Sleep(100);
        }
        if (container.Cgroup.OomKillCount() > ooms)
            Output.Write(EventJson.Simple("oom", id));
        return 0;
    }

    /// <summary>Go durations as runc takes them: 5s, 100ms, 1m, 1h30m.</summary>
    static TimeSpan ParseDuration(string text)
    {
        var total = TimeSpan.Zero;
        int i = 0;
        while (i < text.Length)
        {
            int startNumber = i;
            while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                i++;
            int startUnit = i;
            while (i < text.Length && char.IsLetter(text[i]))
                i++;
            if (!double.TryParse(text.AsSpan(startNumber, startUnit - startNumber), System.Globalization.CultureInfo.InvariantCulture, out double n))
                throw new UsageException($"invalid value \"{text}\" for flag -interval: parse error");
            total += text[startUnit..i] switch
            {
                "ns" => TimeSpan.FromTicks((long)(n / 100)),
                "us" or "µs" => TimeSpan.FromTicks((long)(n * 10)),
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => throw new UsageException($"invalid value \"{text}\" for flag -interval: parse error"),
            };
        }
        if (total <= TimeSpan.Zero)
            throw new UsageException("duration interval must be greater than 0");
        return total;
    }
}

/// <summary>runc's event lines: {"type":"stats","id":...,"data":{cpu, memory, pids, blkio, hugetlb}}.</summary>
internal static class EventJson
{
    public static byte[] Simple(string type, string id)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("id", id);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static byte[] Stats(string id, CgroupStats s)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "stats");
            w.WriteString("id", id);
            w.WriteStartObject("data");

            w.WriteStartObject("cpu");
            w.WriteStartObject("usage");
            w.WriteNumber("total", s.CpuUsageTotal);
            w.WriteStartArray("percpu");
            foreach (var v in s.CpuUsagePerCpu)
                w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteNumber("kernel", s.CpuUsageKernel);
            w.WriteNumber("user", s.CpuUsageUser);
            w.WriteEndObject();
            w.WriteStartObject("throttling");
            w.WriteNumber("periods", s.ThrottlingPeriods);
            w.WriteNumber("throttledPeriods", s.ThrottledPeriods);
            w.WriteNumber("throttledTime", s.ThrottledTime);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("memory");
            w.WriteStartObject("usage");
            w.WriteNumber("limit", s.MemoryLimit);
            w.WriteNumber("usage", s.MemoryUsage);
            w.WriteNumber("max", s.MemoryMaxUsage);
            w.WriteNumber("failcnt", s.MemoryFailcnt);
            w.WriteEndObject();
            w.WriteStartObject("swap");
            w.WriteNumber("limit", s.SwapLimit);
            w.WriteNumber("usage", s.SwapUsage);
            w.WriteEndObject();
            w.WriteStartObject("raw");
            foreach (var (k, v) in s.MemoryStats)
                w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("pids");
            w.WriteNumber("current", s.PidsCurrent);
            if (s.PidsLimit > 0)
                w.WriteNumber("limit", s.PidsLimit);
            w.WriteEndObject();

            w.WriteStartObject("blkio");
            WriteBlkio(w, "ioServiceBytesRecursive", s.IoServiceBytes);
            WriteBlkio(w, "ioServicedRecursive", s.IoServiced);
            w.WriteEndObject();

            w.WriteStartObject("hugetlb");
            foreach (var (size, h) in s.Hugetlb)
            {
                w.WriteStartObject(size);
                w.WriteNumber("usage", h.Usage);
                w.WriteNumber("max", h.Max);
                w.WriteNumber("failcnt", h.Failcnt);
                w.WriteEndObject();
            }
            w.WriteEndObject();

            w.WriteEndObject();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    static void WriteBlkio(Utf8JsonWriter w, string name, List<BlkioEntry> entries)
    {
        if (entries.Count == 0)
            return;
        w.WriteStartArray(name);
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteNumber("major", e.Major);
            w.WriteNumber("minor", e.Minor);
            w.WriteString("op", e.Op);
            w.WriteNumber("value", e.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
