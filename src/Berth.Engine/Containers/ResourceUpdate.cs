using System.Text.Json;
using Berth.Engine.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>
/// What <c>docker update</c> does to a container's host config (dockerd's Container.UpdateContainer): a value that is
/// set (not zero) replaces the container's, zero leaves it alone; CPU limits given as CPUs and as period/quota cannot
/// be mixed; memory above the memory+swap already set needs a new swap. And the same values as the OCI resources a
/// runtime's <c>update -r</c> applies to a running container.
/// </summary>
public static class ResourceUpdate
{
    /// <summary>
    /// <paramref name="host"/> with the update applied: a copy, so that a refused update changes nothing. Conflicts
    /// are Docker's "Conflicting options" errors, without the "Cannot update container" prefix.
    /// </summary>
    public static HostConfig Apply(HostConfig host, ContainerUpdateRequest update)
    {
        var result = Copy(host);
        if (update.NanoCpus > 0 && host.CpuPeriod > 0)
            throw EngineException.Conflict("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        if (update.NanoCpus > 0 && host.CpuQuota > 0)
            throw EngineException.Conflict("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        if (update.CpuPeriod > 0 && host.NanoCpus > 0)
            throw EngineException.Conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        if (update.CpuQuota > 0 && host.NanoCpus > 0)
            throw EngineException.Conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");

        if (update.BlkioWeight != 0)
            result.BlkioWeight = update.BlkioWeight;
        if (update.CpuShares != 0)
            result.CpuShares = update.CpuShares;
        if (update.NanoCpus != 0)
            result.NanoCpus = update.NanoCpus;
        if (update.CpuPeriod != 0)
            result.CpuPeriod = update.CpuPeriod;
        if (update.CpuQuota != 0)
            result.CpuQuota = update.CpuQuota;
        if (update.CpusetCpus.Length > 0)
            result.CpusetCpus = update.CpusetCpus;
        if (update.CpusetMems.Length > 0)
            result.CpusetMems = update.CpusetMems;
        if (update.Memory != 0)
        {
            // Docker compares with the memory+swap the container runs with; a memory limit without a swap value runs
            // with twice its size (dockerd writes that into the host config at create).
            long swap = host.MemorySwap == 0 && host.Memory > 0 ? host.Memory * 2 : host.MemorySwap;
            if (update.Memory > swap && update.MemorySwap == 0)
                throw EngineException.Conflict("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
            result.Memory = update.Memory;
            result.MemorySwap = swap;
        }
        if (update.MemorySwap != 0)
            result.MemorySwap = update.MemorySwap;
        if (update.MemoryReservation != 0)
            result.MemoryReservation = update.MemoryReservation;
        if (update.CpuRealtimePeriod != 0)
            result.CpuRealtimePeriod = update.CpuRealtimePeriod;
        if (update.CpuRealtimeRuntime != 0)
            result.CpuRealtimeRuntime = update.CpuRealtimeRuntime;
        if (update.PidsLimit is not null)
            result.PidsLimit = update.PidsLimit;
        if (update.RestartPolicy.Name.Length > 0)
        {
            if (host.AutoRemove && update.RestartPolicy.Name != "no")
                throw EngineException.Conflict("Restart policy cannot be updated because AutoRemove is enabled for the container");
            result.RestartPolicy = new RestartPolicy { Name = update.RestartPolicy.Name, MaximumRetryCount = update.RestartPolicy.MaximumRetryCount };
        }
        return result;
    }

    /// <summary>
    /// The update's own values as OCI resources (dockerd's toContainerdResources): only what it sets, for the runtime to
    /// merge into the running container's; CPUs as a quota of a 100 ms period; an unlimited pids limit as -1.
    /// </summary>
    public static LinuxResources ToOci(Resources update)
    {
        var resources = new LinuxResources();
        if (update.BlkioWeight != 0)
            resources.BlockIO = new LinuxBlockIO { Weight = update.BlkioWeight };
        long quota = update.CpuQuota;
        long period = update.CpuPeriod;
        if (update.NanoCpus != 0)
        {
            period = 100_000;
            quota = update.NanoCpus * period / 1_000_000_000;
        }
        if (update.CpuShares != 0 || quota != 0 || period != 0 || update.CpusetCpus.Length > 0 || update.CpusetMems.Length > 0)
        {
            resources.Cpu = new LinuxCpu
            {
                Shares = update.CpuShares != 0 ? (ulong)update.CpuShares : null,
                Quota = quota != 0 ? quota : null,
                Period = period != 0 ? (ulong)period : null,
                Cpus = update.CpusetCpus.Length > 0 ? update.CpusetCpus : null,
                Mems = update.CpusetMems.Length > 0 ? update.CpusetMems : null,
            };
        }
        if (update.Memory != 0 || update.MemoryReservation != 0 || update.MemorySwap > 0)
        {
            resources.Memory = new LinuxMemory
            {
                Limit = update.Memory != 0 ? update.Memory : null,
                Reservation = update.MemoryReservation != 0 ? update.MemoryReservation : null,
                Swap = update.MemorySwap > 0 ? update.MemorySwap : null,
            };
        }
        if (update.PidsLimit is { } pids)
            resources.Pids = new LinuxPids { Limit = pids > 0 ? pids : -1 };
        return resources;
    }

    /// <summary>A deep copy, through the form the container's record is saved in.</summary>
    static HostConfig Copy(HostConfig host)
        => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(host, EngineJson.Default.HostConfig), EngineJson.Default.HostConfig)!;
}
