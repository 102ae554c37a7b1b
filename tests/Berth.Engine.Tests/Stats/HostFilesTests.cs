using Berth.Engine.Stats;

namespace Berth.Engine.Tests.Stats;

/// <summary>The host's CPU time and memory as dockerd reads them from /proc.</summary>
public sealed class HostFilesTests
{
    [Fact]
    public void System_cpu_usage_is_the_first_seven_cpu_fields_in_nanoseconds_and_cpus_are_counted()
    {
        const string procStat = "cpu  3239163 0 1165633 1956547 30543 0 14648 99 0 0\n"
            + "cpu0 1578210 0 544127 1067316 8386 0 5428 0 0 0\ncpu1 1660953 0 621506 889231 22157 0 9219 0 0 0\n"
            + "intr 1 2 3\nctxt 42\n";
        var (usage, cpus) = HostCpu.Parse(procStat);
        Assert.Equal((3239163ul + 1165633 + 1956547 + 30543 + 14648) * 10_000_000, usage);
        Assert.Equal(2u, cpus);
    }

    [Fact]
    public void Machine_memory_is_mem_total_in_bytes()
        => Assert.Equal(24683620ul * 1024, MachineMemory.Parse("MemTotal:       24683620 kB\nMemFree:         1000 kB\n"));
}
