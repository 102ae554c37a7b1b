using Berth.Engine.Stats;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Tests.Stats;

/// <summary>
/// A container's cgroup v1 files, one directory per hierarchy as on a v1 or hybrid machine, read into Docker's stats
/// JSON as dockerd shapes containerd's v1 metrics.
/// </summary>
public sealed class DockerStatsV1Tests : IDisposable
{
    const string Container = "berth/abc";
    const ulong MachineMemory = 8L * 1024 * 1024 * 1024;

    readonly CgroupFilesDirectory _files = new();

    public void Dispose() => _files.Dispose();

    CgroupHierarchy Hierarchy(string name, params string[] controllers) => new(string.Join(',', controllers), controllers, _files.PathOf(name), "/", "/");

    /// <summary>A hybrid machine (as this one): v1 hierarchies for the controllers, and a unified hierarchy beside them.</summary>
    StatsSampler Sampler() => new(new CgroupLayout(
        [Hierarchy("cpu,cpuacct", "cpu", "cpuacct"), Hierarchy("memory", "memory"), Hierarchy("pids", "pids"), Hierarchy("blkio", "blkio")],
        new CgroupHierarchy("", [], _files.PathOf("unified"), "/", "/")), MachineMemory);

    void WriteRunningContainer()
    {
        _files
            .Write("cpu,cpuacct/" + Container, "cpuacct.usage", "83399300\n")
            .Write("cpu,cpuacct/" + Container, "cpuacct.usage_percpu", "70256619 13142681 \n")
            .Write("cpu,cpuacct/" + Container, "cpuacct.stat", "user 5\nsystem 3\n")
            .Write("cpu,cpuacct/" + Container, "cpu.stat", "nr_periods 4\nnr_throttled 1\nthrottled_time 5000\n")
            .Write("memory/" + Container, "memory.usage_in_bytes", "622592\n")
            .Write("memory/" + Container, "memory.max_usage_in_bytes", "4317184\n")
            .Write("memory/" + Container, "memory.limit_in_bytes", "9223372036854771712\n")
            .Write("memory/" + Container, "memory.failcnt", "0\n")
            .Write("memory/" + Container, "memory.stat", "cache 0\nrss 57344\nshmem 0\ntotal_inactive_file 4096\nhierarchical_memory_limit 9223372036854771712\n")
            .Write("pids/" + Container, "pids.current", "1\n")
            .Write("pids/" + Container, "pids.max", "max\n")
            .Write("blkio/" + Container, "blkio.throttle.io_service_bytes", "8:0 Read 4096\n8:0 Write 0\n8:0 Sync 4096\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 4096\nTotal 4096\n")
            .Write("blkio/" + Container, "blkio.throttle.io_serviced", "8:0 Read 1\n8:0 Total 1\nTotal 1\n")
            .Write("blkio/" + Container, "blkio.bfq.io_service_bytes_recursive", "8:0 Read 999\nTotal 999\n");
    }

    [Fact]
    public void Cpu_has_per_cpu_usage_and_ticks_in_nanoseconds()
    {
        WriteRunningContainer();
        var cpu = Sampler().TrySample("/" + Container)!.CpuStats;
        Assert.Equal(83399300ul, cpu.CpuUsage.TotalUsage);
        Assert.Equal([70256619ul, 13142681ul], cpu.CpuUsage.PercpuUsage!);
        Assert.Equal(50_000_000ul, cpu.CpuUsage.UsageInUsermode);
        Assert.Equal(30_000_000ul, cpu.CpuUsage.UsageInKernelmode);
        Assert.Equal(5000ul, cpu.ThrottlingData.ThrottledTime);
    }

    [Fact]
    public void Memory_has_docker_s_v1_keys_max_usage_and_the_machine_s_memory_for_no_limit()
    {
        WriteRunningContainer();
        var memory = Sampler().TrySample("/" + Container)!.MemoryStats;
        Assert.Equal(622592ul, memory.Usage);
        Assert.Equal(4317184ul, memory.MaxUsage);
        Assert.Equal(MachineMemory, memory.Limit);
        Assert.Equal(4096ul, memory.Stats!["total_inactive_file"]);
        Assert.Equal(0ul, memory.Stats["hierarchical_memsw_limit"]);
        Assert.Equal(32, memory.Stats.Count);
        Assert.False(memory.Stats.ContainsKey("shmem"));
    }

    [Fact]
    public void An_unlimited_pids_limit_is_left_out()
    {
        WriteRunningContainer();
        var pids = Sampler().TrySample("/" + Container)!.PidsStats;
        Assert.Equal(1ul, pids.Current);
        Assert.Equal(0ul, pids.Limit);
    }

    [Fact]
    public void Without_cfq_files_block_io_is_the_throttle_files_and_the_other_lists_are_empty()
    {
        WriteRunningContainer();
        var blkio = Sampler().TrySample("/" + Container)!.BlkioStats;
        Assert.Equal(["Read 4096", "Write 0", "Sync 4096", "Async 0", "Discard 0", "Total 4096"], blkio.IoServiceBytesRecursive!.Select(e => $"{e.Op} {e.Value}"));
        Assert.Equal(["Read 1", "Total 1"], blkio.IoServicedRecursive!.Select(e => $"{e.Op} {e.Value}"));
        Assert.NotNull(blkio.SectorsRecursive);
        Assert.Empty(blkio.SectorsRecursive);
        Assert.Empty(blkio.IoQueuedRecursive!);
    }

    [Fact]
    public void With_cfq_files_block_io_is_the_recursive_files_and_sectors_have_no_operation()
    {
        WriteRunningContainer();
        _files.Write("blkio/" + Container, "blkio.io_serviced_recursive", "8:0 Read 2\nTotal 2\n")
            .Write("blkio/" + Container, "blkio.io_service_bytes_recursive", "8:0 Read 8192\nTotal 8192\n")
            .Write("blkio/" + Container, "blkio.sectors_recursive", "8:0 16\n");
        var blkio = Sampler().TrySample("/" + Container)!.BlkioStats;
        Assert.Equal(["Read 8192"], blkio.IoServiceBytesRecursive!.Select(e => $"{e.Op} {e.Value}"));
        Assert.Equal([":16"], blkio.SectorsRecursive!.Select(e => $"{e.Op}:{e.Value}"));
    }
}
