using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth update" / "berth container update": new resource limits or restart policy for containers, one request
/// each; the names that worked, then the daemon's warnings, on standard output; the errors together at the end.
/// </summary>
internal static class UpdateCommand
{
    public static CommandSpec Spec() => new()
    {
        Name = "update",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Update configuration of one or more containers",
        AliasesLine = "{0} container update, {0} update",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var blkioWeight = flags.Uint("blkio-weight", null, "uint16", 16, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "0");
            var cpuPeriod = flags.Int("cpu-period", null, 0, "Limit CPU CFS (Completely Fair Scheduler) period");
            var cpuQuota = flags.Int("cpu-quota", null, 0, "Limit CPU CFS (Completely Fair Scheduler) quota");
            var cpuRtPeriod = flags.Int("cpu-rt-period", null, 0, "Limit the CPU real-time period in microseconds");
            var cpuRtRuntime = flags.Int("cpu-rt-runtime", null, 0, "Limit the CPU real-time runtime in microseconds");
            var cpuShares = flags.Int("cpu-shares", 'c', 0, "CPU shares (relative weight)");
            var cpus = flags.Value("cpus", null, "decimal", 0L, ContainerOptionParsers.NanoCpus, "Number of CPUs");
            var cpusetCpus = flags.String("cpuset-cpus", null, "", "CPUs in which to allow execution (0-3, 0,1)");
            var cpusetMems = flags.String("cpuset-mems", null, "", "MEMs in which to allow execution (0-3, 0,1)");
            var memory = flags.Value("memory", 'm', "bytes", 0L, HumanUnits.RamInBytes, "Memory limit");
            var memoryReservation = flags.Value("memory-reservation", null, "bytes", 0L, HumanUnits.RamInBytes, "Memory soft limit");
            var memorySwap = flags.Value("memory-swap", null, "bytes", 0L, ContainerOptionParsers.MemorySwap, "Swap limit equal to memory plus swap: -1 to enable unlimited swap");
            var pidsLimit = flags.Int("pids-limit", null, 0, "Tune container pids limit (set -1 for unlimited)");
            var restart = flags.String("restart", null, "", "Restart policy to apply when a container exits");
            return async inv =>
            {
                if (!inv.Flags.All.Any(f => f.Changed))
                    throw new CliException("you must provide one or more flags when using this command");
                var update = new ContainerUpdateRequest
                {
                    BlkioWeight = (ushort)blkioWeight.Value,
                    CpuPeriod = cpuPeriod.Value,
                    CpuQuota = cpuQuota.Value,
                    CpuRealtimePeriod = cpuRtPeriod.Value,
                    CpuRealtimeRuntime = cpuRtRuntime.Value,
                    CpuShares = cpuShares.Value,
                    NanoCpus = cpus.Value,
                    CpusetCpus = cpusetCpus.Value,
                    CpusetMems = cpusetMems.Value,
                    Memory = memory.Value,
                    MemoryReservation = memoryReservation.Value,
                    MemorySwap = memorySwap.Value,
                    PidsLimit = pidsLimit.Value != 0 ? pidsLimit.Value : null,
                    RestartPolicy = ContainerOptionParsers.ParseRestartPolicy(restart.Value),
                };
                var body = DaemonClientTyped.Json(update, DockerJson.Default.ContainerUpdateRequest);
                var warnings = new List<string>();
                var errors = new List<string>();
                foreach (string name in inv.Args)
                {
                    try
                    {
                        var response = await inv.Client.PostAsync("/containers/" + Query.PathSegment(name) + "/update", null, body, DockerJson.Default.ContainerUpdateResponse).ConfigureAwait(false);
                        inv.Out.WriteLine(name);
                        warnings.AddRange(response.Warnings ?? []);
                    }
                    catch (DaemonException e)
                    {
                        errors.Add(e.Message);
                    }
                }
                if (warnings.Count > 0)
                    inv.Out.WriteLine(string.Join('\n', warnings));
                if (errors.Count > 0)
                    throw new CliException(string.Join('\n', errors));
                return 0;
            };
        },
    };
}
