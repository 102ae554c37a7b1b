using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.Tests.Metadata;
using Xunit.Abstractions;

namespace Berth.Images.Tests.Gc;

/// <summary>
/// kill -9 at random instants: a child process (tests/Berth.Images.CrashHelper) pulls, unpacks,
/// removes, collects and resumes ingests on one data root; each time it is killed, the root must open
/// and be consistent, a collection must leave nothing but what is referenced, and the next child goes
/// on from there (resuming the ingests the last one left).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    const int Iterations = 30;
    readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Kill9_at_random_instants_leaves_a_consistent_store()
    {
        var snapshots = new DirectorySnapshotCollector(Path.Combine(_root.Path, "snapshots"));
        var random = new Random(20250601);
        var seen = new List<StoreCheck.Seen>();
        for (int i = 0; i < Iterations; i++)
        {
            CrashHelperBuild.RunAndKill([_root.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMilliseconds(random.Next(20, 1500)));
            var state = StoreCheck.Consistent(_root.Path, snapshots);
            output.WriteLine($"kill {i}: {state}");
            seen.Add(state);
            // Every other time, collect before the next child: it then starts from a swept store,
            // and the collector itself meets the debris of a kill.
            if (i % 2 == 0)
                StoreCheck.Collected(_root.Path, snapshots);
        }
        // The kills met the store in the middle of things, not only at rest.
        Assert.Contains(seen, s => s.PartialIngests > 0);
        Assert.Contains(seen, s => s.Images > 0);
        Assert.Contains(seen, s => s.ActiveSnapshots > 0);

        // Once every operation's lease has expired, a collection leaves exactly what images reach.
        var later = new ManualTime(DateTimeOffset.UtcNow.AddDays(2));
        using (var metadata = MetadataStore.Open(_root.Path))
            metadata.Write(tx => tx.Leases.Delete(CrashWorkNames.ResumableLease));
        StoreCheck.Collected(_root.Path, snapshots, later);
        var content = new FileContentStore(_root.Content);
        Assert.Empty(content.Ingests());
        using (var metadata = MetadataStore.Open(_root.Path, new MetadataOptions { Time = later }))
        {
            Assert.Empty(metadata.Read(tx => tx.Leases.List()));
            var reachable = StoreCheck.Closure(metadata, metadata.Read(tx => tx.Images.List()).Select(i => i.Target));
            Assert.Equal(reachable.Order(), content.List().Select(c => c.Digest).Order());
            Assert.DoesNotContain(metadata.Read(tx => tx.Snapshots(snapshots.Snapshotter).List()), s => s.Kind != Berth.Images.Snapshots.SnapshotKind.Committed);
        }
    }
}

/// <summary>Names the helper uses that the test needs (the helper's assembly is not referenced).</summary>
internal static class CrashWorkNames
{
    public const string ResumableLease = "resumables";
}
