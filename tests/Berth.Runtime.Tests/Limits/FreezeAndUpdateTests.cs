using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Limits;

/// <summary>pause and resume on the freezer; `update` by flags and by a resources file; cpu limits from the spec.</summary>
public sealed class FreezeAndUpdateTests : IDisposable
{
    const long MiB = 1024 * 1024;
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void Pause_freezes_a_counter_and_resume_lets_it_go_on()
    {
        using var c = new RunningContainer(_runtime, "pause", s => s.Root!.Readonly = false,
            "sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.02; done");
        string counter = Path.Combine(c.Bundle.Rootfs, "tmp/count");
        LifecycleTests.WaitFor(() => Count(counter) > 2, "the counter to run");

        _runtime.Invoke("pause", c.Id).EnsureSuccess("pause");
        Assert.Equal("paused", c.Status);
        var cgroup = new ContainerCgroup(c.Pid);
        Assert.Equal(cgroup.OnV1("freezer") ? "FROZEN" : "1", cgroup.Read("freezer", "freezer.state", "cgroup.freeze"));
        long frozen = Count(counter);
        Thread.Sleep(300);
        Assert.Equal(frozen, Count(counter));

        _runtime.Invoke("resume", c.Id).EnsureSuccess("resume");
        Assert.Equal("running", c.Status);
        LifecycleTests.WaitFor(() => Count(counter) > frozen + 2, "the counter to go on");
    }

    [Fact]
    public void Update_by_flags_and_by_a_resources_file_changes_the_cgroup()
    {
        using var c = new RunningContainer(_runtime, "update", s => s.Linux!.Resources = new LinuxResources
        {
            Devices = s.Linux.Resources!.Devices,
            Memory = new LinuxMemory { Limit = 128 * MiB },
            Pids = new LinuxPids { Limit = 100 },
            Cpu = new LinuxCpu { Shares = 1024, Quota = 100000, Period = 100000 },
        });
        var cgroup = new ContainerCgroup(c.Pid);
        _runtime.Invoke("update", "--memory", "64m", "--pids-limit", "20", c.Id).EnsureSuccess("update by flags");
        Assert.Equal(64 * MiB, long.Parse(cgroup.Read("memory", "memory.limit_in_bytes", "memory.max")));
        Assert.Equal("20", cgroup.Read("pids", "pids.max", "pids.max"));
        Assert.Equal("1024", Shares(cgroup)); // what the flags do not name stays

        string file = Path.Combine(c.Bundle.Path, "resources.json");
        File.WriteAllText(file, $$$"""{"memory": {"limit": {{{48 * MiB}}}}, "cpu": {"shares": 256, "quota": 20000, "period": 100000}, "pids": {"limit": 30}}""");
        _runtime.Invoke("update", "-r", file, c.Id).EnsureSuccess("update -r");
        Assert.Equal(48 * MiB, long.Parse(cgroup.Read("memory", "memory.limit_in_bytes", "memory.max")));
        Assert.Equal("30", cgroup.Read("pids", "pids.max", "pids.max"));
        Assert.Equal("256", Shares(cgroup));
        Assert.Equal("20000 100000", Quota(cgroup));
        Assert.Equal("running", c.Status);
    }

    [Fact]
    public void Cpu_shares_quota_and_period_from_the_spec_land_in_the_cgroup()
    {
        using var c = new RunningContainer(_runtime, "cpu", s => s.Linux!.Resources!.Cpu = new LinuxCpu { Shares = 512, Quota = 50000, Period = 200000 });
        var cgroup = new ContainerCgroup(c.Pid);
        Assert.Equal("512", Shares(cgroup));
        Assert.Equal("50000 200000", Quota(cgroup));
    }

    /// <summary>cpu.shares on v1; on v2 cpu.weight, which runc derives from the shares (512 -> 20, 256 -> 10).</summary>
    static string Shares(ContainerCgroup cgroup)
    {
        string value = cgroup.Read("cpu", "cpu.shares", "cpu.weight");
        return cgroup.OnV1("cpu") ? value : value switch { "39" => "1024", "20" => "512", "10" => "256", _ => "weight " + value };
    }

    /// <summary>"quota period" from cpu.cfs_quota_us and cpu.cfs_period_us (v1) or cpu.max (v2).</summary>
    static string Quota(ContainerCgroup cgroup) => cgroup.OnV1("cpu")
        ? $"{cgroup.Read("cpu", "cpu.cfs_quota_us", "")} {cgroup.Read("cpu", "cpu.cfs_period_us", "")}"
        : cgroup.Read("cpu", "", "cpu.max");

    static long Count(string file)
    {
        try
        {
            return long.TryParse(File.ReadAllText(file).Trim(), out long n) ? n : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    public void Dispose() => _runtime.Dispose();
}
