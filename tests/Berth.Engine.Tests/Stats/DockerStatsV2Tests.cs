using System.Text.Json;
using Berth.Engine.Model;
using Berth.Engine.Stats;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Tests.Stats;

/// <summary>
/// A container's cgroup v2 files (written as the kernel shows them, in a directory laid out like a unified hierarchy)
/// read into Docker's stats JSON as dockerd shapes containerd's v2 metrics.
/// </summary>
public sealed class DockerStatsV2Tests : IDisposable
{
    const string Container = "berth/abc";
    const ulong MachineMemory = 8L * 1024 * 1024 * 1024;

    readonly CgroupFilesDirectory _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A v2 machine whose unified hierarchy is the temporary directory; this process at its root.</summary>
    StatsSampler Sampler() => new(new CgroupLayout([], new CgroupHierarchy("", ["cpu", "memory", "pids", "io"], _files.Root, "/", "/")), MachineMemory);

    void WriteRunningContainer(string memoryMax = "max", string pidsMax = "max")
    {
        _files
            .Write(Container, "cpu.stat", "usage_usec 250000\nuser_usec 150000\nsystem_usec 100000\nnr_periods 10\nnr_throttled 2\nthrottled_usec 3000\nnr_bursts 0\nburst_usec 0\n")
            .Write(Container, "memory.current", "6537216\n")
            .Write(Container, "memory.max", memoryMax + "\n")
            .Write(Container, "memory.peak", "9000000\n")
            .Write(Container, "memory.stat", "anon 24576\nfile 5197824\nkernel 300000\nkernel_stack 16384\ninactive_file 1114112\nactive_file 4083712\npgfault 1200\nworkingset_refault_anon 0\n")
            .Write(Container, "memory.events", "low 0\nhigh 0\nmax 7\noom 3\noom_kill 1\noom_group_kill 0\n")
            .Write(Container, "pids.current", "4\n")
            .Write(Container, "pids.max", pidsMax + "\n")
            .Write(Container, "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=512 dios=1\n");
    }

    [Fact]
    public void Cpu_comes_from_cpu_stat_in_nanoseconds_without_per_cpu_usage()
    {
        WriteRunningContainer();
        var cpu = Sampler().TrySample("/" + Container)!.CpuStats;
        Assert.Equal(250_000_000ul, cpu.CpuUsage.TotalUsage);
        Assert.Equal(150_000_000ul, cpu.CpuUsage.UsageInUsermode);
        Assert.Equal(100_000_000ul, cpu.CpuUsage.UsageInKernelmode);
        Assert.Null(cpu.CpuUsage.PercpuUsage);
        Assert.Equal(10ul, cpu.ThrottlingData.Periods);
        Assert.Equal(2ul, cpu.ThrottlingData.ThrottledPeriods);
        Assert.Equal(3_000_000ul, cpu.ThrottlingData.ThrottledTime);
        // The host's side comes from this machine's /proc/stat.
        Assert.True(cpu.SystemUsage > 0);
        Assert.True(cpu.OnlineCpus > 0);
    }

    [Fact]
    public void Memory_has_docker_s_v2_keys_failcnt_from_oom_events_and_no_max_usage()
    {
        WriteRunningContainer(memoryMax: "67108864");
        var memory = Sampler().TrySample("/" + Container)!.MemoryStats;
        Assert.Equal(6537216ul, memory.Usage);
        Assert.Equal(67108864ul, memory.Limit);
        Assert.Equal(3ul, memory.Failcnt);
        Assert.Equal(0ul, memory.MaxUsage);
        Assert.Equal(1114112ul, memory.Stats!["inactive_file"]);
        Assert.Equal(16384ul, memory.Stats["kernel_stack"]);
        // Every key containerd knows, 0 where the kernel wrote none; keys it does not know are left out.
        Assert.Equal(0ul, memory.Stats["thp_collapse_alloc"]);
        Assert.Equal(31, memory.Stats.Count);
        Assert.False(memory.Stats.ContainsKey("kernel"));
    }

    [Fact]
    public void An_unlimited_memory_limit_is_the_machine_s_memory()
    {
        WriteRunningContainer(memoryMax: "max");
        Assert.Equal(MachineMemory, Sampler().TrySample("/" + Container)!.MemoryStats.Limit);
    }

    [Theory]
    [InlineData("max", ulong.MaxValue)]
    [InlineData("20", 20ul)]
    public void Pids_limit_is_read_as_containerd_reads_it(string pidsMax, ulong expected)
    {
        WriteRunningContainer(pidsMax: pidsMax);
        var pids = Sampler().TrySample("/" + Container)!.PidsStats;
        Assert.Equal(4ul, pids.Current);
        Assert.Equal(expected, pids.Limit);
    }

    [Fact]
    public void Block_io_is_read_and_write_bytes_per_device_only()
    {
        WriteRunningContainer();
        var blkio = Sampler().TrySample("/" + Container)!.BlkioStats;
        Assert.Equal(
            ["8:0 read 4096", "8:0 write 8192", "253:1 read 100", "253:1 write 0"],
            blkio.IoServiceBytesRecursive!.Select(e => $"{e.Major}:{e.Minor} {e.Op} {e.Value}"));
        Assert.Null(blkio.IoServicedRecursive);
        Assert.Null(blkio.SectorsRecursive);
    }

    [Fact]
    public void No_io_yet_is_a_null_list()
    {
        WriteRunningContainer();
        _files.Write(Container, "io.stat", "");
        Assert.Null(Sampler().TrySample("/" + Container)!.BlkioStats.IoServiceBytesRecursive);
    }

    [Fact]
    public void A_relative_cgroups_path_is_under_this_process_s_cgroup()
    {
        WriteRunningContainer();
        var layout = new CgroupLayout([], new CgroupHierarchy("", ["memory"], _files.Root, "/", "/berth"));
        var stats = new StatsSampler(layout, MachineMemory).TrySample("abc");
        Assert.Equal(6537216ul, stats!.MemoryStats.Usage);
    }

    [Fact]
    public void A_cgroup_that_is_gone_gives_no_sample()
        => Assert.Null(Sampler().TrySample("/berth/gone"));

    [Fact]
    public void The_sample_is_written_with_docker_s_field_names_and_types()
    {
        WriteRunningContainer();
        var stats = Sampler().TrySample("/" + Container)!;
        using var json = JsonDocument.Parse(DockerJson.Serialize(stats, DockerJson.Default.ContainerStats, escapeHtml: true));
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("read").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").ValueKind);
        Assert.False(root.GetProperty("cpu_stats").GetProperty("cpu_usage").TryGetProperty("percpu_usage", out _));
        Assert.False(root.GetProperty("memory_stats").TryGetProperty("max_usage", out _));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("memory_stats").GetProperty("stats").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("blkio_stats").GetProperty("io_serviced_recursive").ValueKind);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("storage_stats").ValueKind);
        Assert.False(root.TryGetProperty("networks", out _));
    }
}
