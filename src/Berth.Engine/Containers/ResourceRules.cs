using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>
/// dockerd's checks of resource limits (verifyPlatformContainerResources) with its error texts: values out of range
/// are refused; limits this machine cannot apply are discarded from <paramref name="r"/> with Docker's warnings.
/// </summary>
public static class ResourceRules
{
    const long MinimumMemory = 6 * 1024 * 1024;

    /// <param name="update">For an update, swap may change without memory (it adds to the memory already set).</param>
    /// <returns>Docker's warnings, null when there are none (as dockerd answers).</returns>
    public static List<string>? Verify(Resources r, bool update, CgroupSupport support)
    {
        List<string>? warnings = null;
        void Warn(string text) => (warnings ??= []).Add(text);

        if (r.Memory != 0 && r.Memory < MinimumMemory)
            throw EngineException.Invalid("Minimum memory limit allowed is 6MB");
        if (r.Memory > 0 && !support.MemoryLimit)
        {
            Warn("Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
            r.Memory = 0;
            r.MemorySwap = -1;
        }
        if (r.Memory > 0 && r.MemorySwap != -1 && !support.SwapLimit)
        {
            Warn("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            r.MemorySwap = -1;
        }
        if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory)
            throw EngineException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (r.Memory == 0 && r.MemorySwap > 0 && !update)
            throw EngineException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        // -1 is how older clients said "not set".
        if (r.MemorySwappiness == -1)
            r.MemorySwappiness = null;
        if (r.MemorySwappiness is not null && !support.MemorySwappiness)
        {
            Warn("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.");
            r.MemorySwappiness = null;
        }
        if (r.MemorySwappiness is < 0 or > 100)
            throw EngineException.Invalid($"Invalid value: {r.MemorySwappiness}, valid memory swappiness range is 0-100");
        if (r.MemoryReservation > 0 && !support.MemoryReservation)
        {
            Warn("Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.");
            r.MemoryReservation = 0;
        }
        if (r.MemoryReservation > 0 && r.MemoryReservation < MinimumMemory)
            throw EngineException.Invalid("Minimum memory reservation allowed is 6MB");
        if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation)
            throw EngineException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        if (r.OomKillDisable is { } disable && !support.OomKillDisable)
        {
            if (disable)
                Warn("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            r.OomKillDisable = null;
        }
        if (r.OomKillDisable == true && r.Memory == 0)
            Warn("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        if (r.PidsLimit is { } pids && !support.PidsLimit)
        {
            if (pids > 0)
                Warn("Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.");
            r.PidsLimit = null;
        }

        if (r.NanoCpus > 0 && r.CpuPeriod > 0)
            throw EngineException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (r.NanoCpus > 0 && r.CpuQuota > 0)
            throw EngineException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (r.NanoCpus > 0 && !support.CpuCfs)
            throw EngineException.Invalid("NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted");
        int cpus = Environment.ProcessorCount;
        if (r.NanoCpus < 0 || r.NanoCpus > cpus * 1_000_000_000L)
            throw EngineException.Invalid($"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available");
        if (r.CpuShares > 0 && !support.CpuShares)
        {
            Warn("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
            r.CpuShares = 0;
        }
        if ((r.CpuPeriod != 0 || r.CpuQuota != 0) && !support.CpuCfs)
        {
            Warn("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
            r.CpuPeriod = 0;
            r.CpuQuota = 0;
        }
        if (r.CpuPeriod != 0 && r.CpuPeriod is < 1000 or > 1_000_000)
            throw EngineException.Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (r.CpuQuota is > 0 and < 1000)
            throw EngineException.Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        if (r.CpuPercent > 0)
        {
            Warn("linux does not support CPU percent. Percent discarded.");
            r.CpuPercent = 0;
        }

        if ((r.CpusetCpus.Length > 0 || r.CpusetMems.Length > 0) && !support.Cpuset)
        {
            Warn("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            r.CpusetCpus = "";
            r.CpusetMems = "";
        }
        if (!CpusetList.IsSubset(r.CpusetCpus, support.Cpus, out string? cpusError))
        {
            throw EngineException.Invalid(cpusError is null
                ? $"Requested CPUs are not available - requested {r.CpusetCpus}, available: {support.Cpus}"
                : $"Invalid value {r.CpusetCpus} for cpuset cpus: {cpusError}");
        }
        if (!CpusetList.IsSubset(r.CpusetMems, support.Mems, out string? memsError))
        {
            throw EngineException.Invalid(memsError is null
                ? $"Requested memory nodes are not available - requested {r.CpusetMems}, available: {support.Mems}"
                : $"Invalid value {r.CpusetMems} for cpuset mems: {memsError}");
        }

        if (r.BlkioWeight > 0 && !support.BlkioWeight)
        {
            Warn("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            r.BlkioWeight = 0;
        }
        if (r.BlkioWeight is > 0 and (< 10 or > 1000))
            throw EngineException.Invalid("Range of blkio weight is from 10 to 1000");
        if (r.IOMaximumBandwidth != 0 || r.IOMaximumIOps != 0)
            throw EngineException.Invalid("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        return warnings;
    }

    /// <summary>Docker's ValidateRestartPolicy: a known name; a retry count only for on-failure, and not negative.</summary>
    public static void ValidateRestartPolicy(RestartPolicy policy)
    {
        switch (policy.Name)
        {
            case "always" or "unless-stopped" or "no":
                if (policy.MaximumRetryCount != 0)
                {
                    throw EngineException.Invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'"
                        + (policy.MaximumRetryCount < 0 ? " and cannot be negative" : ""));
                }
                break;
            case "on-failure":
                if (policy.MaximumRetryCount < 0)
                    throw EngineException.Invalid("invalid restart policy: maximum retry count cannot be negative");
                break;
            case "":
                // Docker before 25.0 wrote an empty name for "no": still accepted.
                break;
            default:
                throw EngineException.Invalid($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
    }
}
