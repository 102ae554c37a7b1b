using System.Globalization;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

internal static partial class Commands
{
    static readonly Flag[] UpdateFlags =
    [
        new("resources", TakesValue: true, Alias: "r"),
        new("blkio-weight", TakesValue: true),
        new("cpu-period", TakesValue: true),
        new("cpu-quota", TakesValue: true),
        new("cpu-share", TakesValue: true),
        new("cpu-rt-period", TakesValue: true),
        new("cpu-rt-runtime", TakesValue: true),
        new("cpuset-cpus", TakesValue: true),
        new("cpuset-mems", TakesValue: true),
        new("kernel-memory", TakesValue: true),
        new("kernel-memory-tcp", TakesValue: true),
        new("memory", TakesValue: true),
        new("memory-reservation", TakesValue: true),
        new("memory-swap", TakesValue: true),
        new("pids-limit", TakesValue: true),
        new("l3-cache-schema", TakesValue: true),
        new("mem-bw-schema", TakesValue: true),
    ];

    public static int Update(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, UpdateFlags);
        string id = SingleId(line, "update");
        var store = global.Store;
        using var _ = store.Lock(id);
        var container = Container.Load(store, id);
        if (container.Status() == ContainerStatus.Stopped)
            throw RuntimeError.Conflict("container not running");
        var spec = container.Spec;
        var linux = spec.Linux ??= new Oci.Runtime.Linux();
        var resources = linux.Resources ??= new LinuxResources();
        if (line.Get("resources") is { } file)
            Merge(resources, ReadResources(file));
        ApplyFlags(line, resources);
        container.Cgroup.Apply(resources);
        store.SaveSpec(id, OciJson.WriteCompact(spec));
        return 0;
    }

    static LinuxResources ReadResources(string file)
    {
        try
        {
            if (file == "-")
            {
                using var stdin = System.Console.OpenStandardInput();
                var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                return OciJson.Read<LinuxResources>(buffer.ToArray(), "resources");
            }
            return OciJson.ReadFile<LinuxResources>(file);
        }
        catch (OciFormatException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, e.Message, e);
        }
    }

    /// <summary>Values set in <paramref name="update"/> replace the container's; the rest stay.</summary>
    static void Merge(LinuxResources into, LinuxResources update)
    {
        if (update.Memory is { } m)
        {
            var t = into.Memory ??= new LinuxMemory();
            t.Limit = m.Limit ?? t.Limit;
            t.Reservation = m.Reservation ?? t.Reservation;
            t.Swap = m.Swap ?? t.Swap;
            t.Kernel = m.Kernel ?? t.Kernel;
            t.KernelTcp = m.KernelTcp ?? t.KernelTcp;
            t.Swappiness = m.Swappiness ?? t.Swappiness;
            t.DisableOomKiller = m.DisableOomKiller ?? t.DisableOomKiller;
        }
        if (update.Cpu is { } c)
        {
            var t = into.Cpu ??= new LinuxCpu();
            t.Shares = c.Shares ?? t.Shares;
            t.Quota = c.Quota ?? t.Quota;
            t.Burst = c.Burst ?? t.Burst;
            t.Period = c.Period ?? t.Period;
            t.RealtimeRuntime = c.RealtimeRuntime ?? t.RealtimeRuntime;
            t.RealtimePeriod = c.RealtimePeriod ?? t.RealtimePeriod;
            t.Cpus = c.Cpus ?? t.Cpus;
            t.Mems = c.Mems ?? t.Mems;
            t.Idle = c.Idle ?? t.Idle;
        }
        if (update.Pids is not null)
            into.Pids = update.Pids;
        if (update.BlockIO is not null)
            into.BlockIO = update.BlockIO;
        if (update.HugepageLimits is not null)
            into.HugepageLimits = update.HugepageLimits;
        if (update.Unified is not null)
            into.Unified = update.Unified;
        if (update.Devices is not null)
            into.Devices = update.Devices;
    }

    static void ApplyFlags(CommandLine line, LinuxResources r)
    {
        if (line.Get("blkio-weight") is { } bw)
            (r.BlockIO ??= new LinuxBlockIO()).Weight = (ushort)ParseUnsigned(bw, "blkio-weight", ushort.MaxValue);
        if (line.Get("cpu-period") is { } period)
            (r.Cpu ??= new LinuxCpu()).Period = ParseUnsigned(period, "cpu-period");
        if (line.Get("cpu-quota") is { } quota)
            (r.Cpu ??= new LinuxCpu()).Quota = ParseSigned(quota, "cpu-quota");
        if (line.Get("cpu-share") is { } shares)
            (r.Cpu ??= new LinuxCpu()).Shares = ParseUnsigned(shares, "cpu-share");
        if (line.Get("cpu-rt-period") is { } rtp)
            (r.Cpu ??= new LinuxCpu()).RealtimePeriod = ParseUnsigned(rtp, "cpu-rt-period");
        if (line.Get("cpu-rt-runtime") is { } rtr)
            (r.Cpu ??= new LinuxCpu()).RealtimeRuntime = ParseSigned(rtr, "cpu-rt-runtime");
        if (line.Get("cpuset-cpus") is { } cpus)
            (r.Cpu ??= new LinuxCpu()).Cpus = cpus;
        if (line.Get("cpuset-mems") is { } mems)
            (r.Cpu ??= new LinuxCpu()).Mems = mems;
        if (line.Get("memory") is { } memory)
            (r.Memory ??= new LinuxMemory()).Limit = ParseBytes(memory, "memory");
        if (line.Get("memory-reservation") is { } reservation)
            (r.Memory ??= new LinuxMemory()).Reservation = ParseBytes(reservation, "memory-reservation");
        if (line.Get("memory-swap") is { } swap)
            (r.Memory ??= new LinuxMemory()).Swap = ParseBytes(swap, "memory-swap");
        if (line.Get("kernel-memory") is { } kmem)
            (r.Memory ??= new LinuxMemory()).Kernel = ParseBytes(kmem, "kernel-memory");
        if (line.Get("kernel-memory-tcp") is { } ktcp)
            (r.Memory ??= new LinuxMemory()).KernelTcp = ParseBytes(ktcp, "kernel-memory-tcp");
        if (line.Get("pids-limit") is { } pids)
            r.Pids = new LinuxPids { Limit = ParseSigned(pids, "pids-limit") };
        if (line.Get("l3-cache-schema") is not null || line.Get("mem-bw-schema") is not null)
            throw new RuntimeError(ErrorKind.Unsupported, "Intel RDT is not supported by berth-runtime");
    }

    static ulong ParseUnsigned(string text, string flag, ulong max = ulong.MaxValue)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) || v > max)
            throw new UsageException($"invalid value for --{flag}: {text}");
        return v;
    }

    static long ParseSigned(string text, string flag)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            throw new UsageException($"invalid value for --{flag}: {text}");
        return v;
    }

    /// <summary>docker/go-units RAMInBytes: 512, 512k, 1.5g, "-1" for unlimited.</summary>
    public static long ParseBytes(string text, string flag)
    {
        if (text == "-1")
            return -1;
        string s = text.Trim().ToLowerInvariant();
        if (s.EndsWith('b'))
            s = s[..^1];
        long multiplier = 1;
        if (s.Length > 0 && "kmgtp".Contains(s[^1]))
        {
            multiplier = s[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1L << 50 };
            s = s[..^1];
        }
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value < 0)
            throw new UsageException($"invalid value for --{flag}: {text}");
        return (long)(value * multiplier);
    }
}
