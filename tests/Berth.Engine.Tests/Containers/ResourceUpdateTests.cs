using Berth.Engine.Containers;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Containers;

/// <summary>What docker update does to a host config and sends to the runtime, and the limits dockerd refuses.</summary>
public sealed class ResourceUpdateTests
{
    const long MiB = 1024 * 1024;

    static readonly CgroupSupport Everything = new(true, true, true, true, true, true, true, true, true, true, "0-1", "0");

    [Fact]
    public void Set_values_replace_the_container_s_and_zero_leaves_them()
    {
        var host = new HostConfig { CpuShares = 512, CpusetCpus = "0", Memory = 32 * MiB, PidsLimit = 10 };
        var updated = ResourceUpdate.Apply(host, new ContainerUpdateRequest { NanoCpus = 500_000_000, PidsLimit = 20 });
        Assert.Equal(512, updated.CpuShares);
        Assert.Equal("0", updated.CpusetCpus);
        Assert.Equal(32 * MiB, updated.Memory);
        Assert.Equal(500_000_000, updated.NanoCpus);
        Assert.Equal(20, updated.PidsLimit);
        Assert.Equal(10, host.PidsLimit);
    }

    [Fact]
    public void Memory_above_the_memory_and_swap_already_set_needs_a_new_swap()
    {
        var e = Assert.Throws<EngineException>(() => ResourceUpdate.Apply(new HostConfig(), new ContainerUpdateRequest { Memory = 64 * MiB }));
        Assert.Equal("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", e.Message);
        Assert.Equal(EngineErrorKind.Conflict, e.Kind);

        var both = ResourceUpdate.Apply(new HostConfig(), new ContainerUpdateRequest { Memory = 64 * MiB, MemorySwap = 128 * MiB });
        Assert.Equal((64 * MiB, 128 * MiB), (both.Memory, both.MemorySwap));
    }

    [Fact]
    public void A_memory_limit_without_swap_ran_with_twice_its_size_which_the_update_keeps()
    {
        var updated = ResourceUpdate.Apply(new HostConfig { Memory = 32 * MiB }, new ContainerUpdateRequest { Memory = 64 * MiB });
        Assert.Equal((64 * MiB, 64 * MiB), (updated.Memory, updated.MemorySwap));
    }

    [Theory]
    [InlineData(0, 50_000, 0, "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set")]
    [InlineData(0, 0, 50_000, "Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set")]
    [InlineData(1_000_000_000, 0, 0, "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set")]
    public void Cpus_and_period_or_quota_cannot_be_mixed(long nanoCpus, long period, long quota, string message)
    {
        var host = new HostConfig { NanoCpus = nanoCpus, CpuPeriod = period, CpuQuota = quota };
        var update = nanoCpus > 0 ? new ContainerUpdateRequest { CpuPeriod = 100_000 } : new ContainerUpdateRequest { NanoCpus = 500_000_000 };
        Assert.Equal(message, Assert.Throws<EngineException>(() => ResourceUpdate.Apply(host, update)).Message);
    }

    [Fact]
    public void A_restart_policy_cannot_be_set_on_an_auto_remove_container()
    {
        var update = new ContainerUpdateRequest { RestartPolicy = new RestartPolicy { Name = "always" } };
        var e = Assert.Throws<EngineException>(() => ResourceUpdate.Apply(new HostConfig { AutoRemove = true }, update));
        Assert.Equal("Restart policy cannot be updated because AutoRemove is enabled for the container", e.Message);
        Assert.Equal("always", ResourceUpdate.Apply(new HostConfig(), update).RestartPolicy.Name);
    }

    [Fact]
    public void The_runtime_gets_only_what_the_update_sets_with_cpus_as_a_quota()
    {
        var oci = ResourceUpdate.ToOci(new ContainerUpdateRequest { Memory = 64 * MiB, MemorySwap = -1, NanoCpus = 500_000_000, PidsLimit = 0 });
        Assert.Equal(64 * MiB, oci.Memory!.Limit);
        Assert.Null(oci.Memory.Swap);
        Assert.Equal((50_000L, 100_000ul), (oci.Cpu!.Quota!.Value, oci.Cpu.Period!.Value));
        Assert.Null(oci.Cpu.Shares);
        Assert.Equal(-1, oci.Pids!.Limit);
        Assert.Null(oci.BlockIO);
        Assert.Null(ResourceUpdate.ToOci(new ContainerUpdateRequest()).Cpu);
    }

    [Theory]
    [InlineData("Memory", 1024, "Minimum memory limit allowed is 6MB")]
    [InlineData("MemoryReservation", 1024, "Minimum memory reservation allowed is 6MB")]
    [InlineData("CpuPeriod", 100, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")]
    [InlineData("CpuQuota", 500, "CPU cfs quota can not be less than 1ms (i.e. 1000)")]
    [InlineData("BlkioWeight", 5, "Range of blkio weight is from 10 to 1000")]
    public void Out_of_range_limits_are_docker_s_errors(string field, long value, string message)
    {
        var update = new ContainerUpdateRequest();
        switch (field)
        {
            case "Memory": update.Memory = value; break;
            case "MemoryReservation": update.MemoryReservation = value; break;
            case "CpuPeriod": update.CpuPeriod = value; break;
            case "CpuQuota": update.CpuQuota = value; break;
            case "BlkioWeight": update.BlkioWeight = (ushort)value; break;
        }
        var e = Assert.Throws<EngineException>(() => ResourceRules.Verify(update, update: true, Everything));
        Assert.Equal(message, e.Message);
        Assert.Equal(EngineErrorKind.InvalidParameter, e.Kind);
    }

    [Theory]
    [InlineData("1", null)]
    [InlineData("0-1", null)]
    [InlineData("7", "Requested CPUs are not available - requested 7, available: 0-1")]
    [InlineData("0-100000000", "Requested CPUs are not available - requested 0-100000000, available: 0-1")]
    [InlineData("x", "Invalid value x for cpuset cpus: invalid format: x")]
    [InlineData("1-0", "Invalid value 1-0 for cpuset cpus: invalid format: 1-0")]
    public void Cpusets_must_name_cpus_the_machine_has(string cpus, string? message)
    {
        var update = new ContainerUpdateRequest { CpusetCpus = cpus };
        if (message is null)
            Assert.Null(ResourceRules.Verify(update, update: true, Everything));
        else
            Assert.Equal(message, Assert.Throws<EngineException>(() => ResourceRules.Verify(update, update: true, Everything)).Message);
    }

    [Fact]
    public void Limits_the_machine_cannot_apply_are_discarded_with_docker_s_warning()
    {
        var update = new ContainerUpdateRequest { BlkioWeight = 300, CpuShares = 512 };
        var warnings = ResourceRules.Verify(update, update: true, Everything with { BlkioWeight = false });
        Assert.Equal(["Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."], warnings);
        Assert.Equal(0, update.BlkioWeight);
        Assert.Equal(512, update.CpuShares);
    }

    [Theory]
    [InlineData("bogus", 0, "invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")]
    [InlineData("always", 3, "invalid restart policy: maximum retry count can only be used with 'on-failure'")]
    [InlineData("on-failure", -1, "invalid restart policy: maximum retry count cannot be negative")]
    public void Restart_policies_are_checked_as_dockerd_does(string name, int count, string message)
        => Assert.Equal(message, Assert.Throws<EngineException>(() => ResourceRules.ValidateRestartPolicy(new RestartPolicy { Name = name, MaximumRetryCount = count })).Message);
}
