using Berth.Engine.Model;
using Berth.Linux;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Stats;

/// <summary>
/// One sample of a container's resource usage in Docker's JSON, read from its cgroup: v1 hierarchies on a v1 or
/// hybrid machine (as dockerd, whose containerd reads hybrid machines as v1), the unified hierarchy on a v2 one;
/// then the host's CPU time and CPU count, read right after so that CPU percentages compare like with like.
/// </summary>
public sealed class StatsSampler(CgroupLayout layout, ulong machineMemory)
{
    /// <summary>
    /// The usage of the cgroup at <paramref name="cgroupsPath"/> (linux.cgroupsPath: absolute, or relative to this
    /// process's cgroup as the runtime it starts reads it), or null when that cgroup is gone (the container stopped)
    /// or the machine has no cgroups.
    /// </summary>
    public ContainerStats? TrySample(string cgroupsPath)
    {
        var stats = new ContainerStats { Read = DateTimeOffset.UtcNow };
        try
        {
            if (layout.Mode is CgroupMode.V1 or CgroupMode.Hybrid)
            {
                string? DirOf(string controller) => layout.V1For(controller) is { } h ? DirectoryIn(h, cgroupsPath) : null;
                if (!layout.V1.Any(h => Directory.Exists(DirectoryIn(h, cgroupsPath))))
                    return null;
                DockerStatsV1.Fill(stats, DirOf, machineMemory);
            }
            else
            {
                string? dir = layout.Unified is { } unified ? DirectoryIn(unified, cgroupsPath) : null;
                if (dir is null || !Directory.Exists(dir))
                    return null;
                DockerStatsV2.Fill(stats, dir, machineMemory);
            }
        }
        catch (Exception e) when (e is LinuxException or IOException or FormatException)
        {
            // The cgroup went away while it was read: dockerd answers as for a stopped container.
            return null;
        }
        (stats.CpuStats.SystemUsage, stats.CpuStats.OnlineCpus) = HostCpu.Read();
        return stats;
    }

    static string DirectoryIn(CgroupHierarchy h, string cgroupsPath)
        => h.DirectoryOf(cgroupsPath.StartsWith('/') ? cgroupsPath : h.OwnPath.TrimEnd('/') + "/" + cgroupsPath);
}
