using System.Runtime.CompilerServices;
using Berth.Engine.Model;
using Berth.Engine.Stats;
using Berth.Linux.Cgroups;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>How often dockerd's collector samples a container.</summary>
    public static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    CgroupLayout? _cgroupLayout;
    StatsSampler? _statsSampler;

    /// <summary>The machine's cgroup hierarchies as this process sees them, found when first needed.</summary>
    CgroupLayout CgroupLayout => _cgroupLayout ??= Hierarchies.Detect();

    StatsSampler StatsSampler => _statsSampler ??= new StatsSampler(CgroupLayout, MachineMemory.Read());

    /// <summary>
    /// <c>docker stats</c>: samples of the container's usage as dockerd sends them. A stream gives one every
    /// <see cref="StatsInterval"/>, each with the previous one's CPU as precpu, until the caller stops or the container
    /// is removed. Without a stream, one sample: the second, so that its precpu makes CPU percentages possible, or with
    /// <paramref name="oneShot"/> the first. A container that is not running gives zeroed samples with its name and ID.
    /// </summary>
    public async IAsyncEnumerable<ContainerStats> StatsAsync(Container container, bool stream, bool oneShot,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (oneShot || (!stream && !IsSampled(container)))
        {
            yield return Sample(container);
            yield break;
        }
        var previous = new ContainerStats();
        for (bool first = true; ; first = false)
        {
            var stats = Sample(container);
            stats.PreCpuStats = previous.CpuStats;
            stats.PreRead = previous.Read;
            previous = stats;
            if (stream || !first)
            {
                yield return stats;
                if (!stream)
                    yield break;
            }
            var tick = Task.Delay(StatsInterval, ct);
            if (await Task.WhenAny(tick, container.Removed) != tick)
                yield break;
            await tick;
        }
    }

    /// <summary>Running or paused: a container whose cgroup has processes (dockerd's running task).</summary>
    static bool IsSampled(Container c) => c.Record.State.Status is ContainerStatus.Running or ContainerStatus.Paused;

    ContainerStats Sample(Container c)
    {
        var stats = (IsSampled(c) ? StatsSampler.TrySample(SpecBuilder.CgroupsPath(c.Record, Options.CgroupParent)) : null)
            ?? new ContainerStats();
        stats.Name = c.Record.Name;
        stats.Id = c.Id;
        if (IsSampled(c))
            stats.Networks = Networks.Statistics(c.Record);
        return stats;
    }
}
