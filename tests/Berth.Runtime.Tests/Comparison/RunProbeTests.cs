namespace Berth.Runtime.Tests.Comparison;

/// <summary>
/// The same bundles run by berth-runtime, runc and crun give the same observable results: each
/// probe (<see cref="RunProbes"/>) runs in the three at once and their normalised outputs are
/// compared (see <see cref="Observations.AssertBerthAgrees"/> for where the references differ).
/// One class per group of probes, so that the groups run in parallel.
/// </summary>
public abstract class RunProbeTests : IDisposable
{
    readonly Peers _peers = new();

    protected void Check(string probe)
    {
        var p = RunProbes.Named(probe);
        var seen = _peers.Each(p.Observe);
        if (p.FollowRunc)
            seen.AssertBerthAgreesWithRunc(probe, p.PeersDiffer);
        else
            seen.AssertBerthAgrees(probe, p.PeersDiffer);
        p.Sanity?.Invoke(seen.Berth);
    }

    private protected static TheoryData<string> Names(IEnumerable<RunProbe> group) => [.. group.Select(p => p.Name)];

    public void Dispose() => _peers.Dispose();
}

public sealed class ProcessProbeTests : RunProbeTests
{
    public static TheoryData<string> Probes => Names(RunProbes.ProcessGroup);

    [Theory]
    [MemberData(nameof(Probes))]
    public void Berth_sees_what_runc_and_crun_see(string probe) => Check(probe);
}

public sealed class FileSystemProbeTests : RunProbeTests
{
    public static TheoryData<string> Probes => Names(RunProbes.FileSystemGroup);

    [Theory]
    [MemberData(nameof(Probes))]
    public void Berth_sees_what_runc_and_crun_see(string probe) => Check(probe);
}

public sealed class KernelProbeTests : RunProbeTests
{
    public static TheoryData<string> Probes => Names(RunProbes.KernelGroup);

    [Theory]
    [MemberData(nameof(Probes))]
    public void Berth_sees_what_runc_and_crun_see(string probe) => Check(probe);
}

public sealed class StartProbeTests : RunProbeTests
{
    public static TheoryData<string> Probes => Names(RunProbes.StartGroup);

    [Theory]
    [MemberData(nameof(Probes))]
    public void Berth_sees_what_runc_and_crun_see(string probe) => Check(probe);
}
