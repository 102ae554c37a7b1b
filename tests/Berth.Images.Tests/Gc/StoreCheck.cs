using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Oci;

namespace Berth.Images.Tests.Gc;

/// <summary>
/// What must hold of a data root at any instant, crash or not, checked from the outside (plain
/// queries and the file system, not the collector's own graph code).
/// </summary>
public static class StoreCheck
{
    public sealed record Seen(int Images, int Blobs, int Ingests, int PartialIngests, int Snapshots, int ActiveSnapshots);

    /// <summary>The store opens; every blob verifies; no row refers to missing content; every snapshot row has its directory.</summary>
    public static Seen Consistent(string root, DirectorySnapshotCollector snapshots)
    {
        var content = new FileContentStore(Path.Combine(root, "content"));
        using var metadata = MetadataStore.Open(root);
        metadata.Read(tx =>
        {
            Assert.Equal("ok", tx.Command("PRAGMA integrity_check").ExecuteScalar());
            using var reader = tx.Command("PRAGMA foreign_key_check").ExecuteReader();
            Assert.False(reader.Read(), "foreign_key_check reports a dangling reference");
            return 0;
        });

        var present = content.List().Select(c => c.Digest).ToHashSet();
        foreach (var digest in present)
            Assert.True(content.Verify(digest), $"blob {digest} does not match its digest");

        var images = metadata.Read(tx => tx.Images.List());
        foreach (var digest in Closure(metadata, images.Select(i => i.Target)))
            Assert.True(present.Contains(digest), $"{digest}, reachable from an image, is missing");
        foreach (var (owner, key, value) in ContentLabels(metadata))
        {
            Assert.True(present.Contains(owner), $"labels of missing content {owner}");
            if (key.StartsWith(GcLabels.ContentRef, StringComparison.Ordinal))
                Assert.True(present.Contains(Digest.Parse(value)), $"{owner} label {key} names missing content {value}");
        }

        var rows = metadata.Read(tx => tx.Snapshots(snapshots.Snapshotter).List());
        var directories = snapshots.Existing().ToHashSet();
        foreach (var row in rows)
            Assert.True(directories.Contains(row.Id), $"snapshot {row.Key} ({row.Id}) has no directory");

        var ingests = content.Ingests().ToList();
        return new Seen(images.Count, present.Count, ingests.Count, ingests.Count(i => i.Offset > 0), rows.Count,
            rows.Count(r => r.Kind != Berth.Images.Snapshots.SnapshotKind.Committed));
    }

    /// <summary>After a collection with nobody writing: only what images and live leases reach is left, and no debris.</summary>
    public static void Collected(string root, DirectorySnapshotCollector snapshots, TimeProvider? time = null)
    {
        var content = new FileContentStore(Path.Combine(root, "content"));
        using var metadata = MetadataStore.Open(root, new MetadataOptions { Time = time ?? TimeProvider.System });
        new GarbageCollector(metadata, content, [snapshots]).Collect(new GcOptions { IngestAge = TimeSpan.Zero });

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "content", "tmp")));
        var now = metadata.Time.GetUtcNow();
        var live = metadata.Read(tx => tx.Leases.List().Where(l => !l.IsExpired(now)).SelectMany(l => tx.Leases.Resources(l.Id)).ToList());
        var leasedIngests = live.Where(r => r.Kind == LeaseResourceKind.Ingest).Select(r => r.Id).ToHashSet();
        Assert.Equal(Directory.EnumerateDirectories(Path.Combine(root, "content", "ingest")).Count(), content.Ingests().Count());
        foreach (var ingest in content.Ingests())
            Assert.Contains(ingest.Reference, leasedIngests);

        var roots = metadata.Read(tx => tx.Images.List()).Select(i => i.Target)
            .Concat(live.Where(r => r.Kind == LeaseResourceKind.Content).Select(r => Digest.Parse(r.Id)));
        var reachable = Closure(metadata, roots);
        foreach (var blob in content.List())
            Assert.True(reachable.Contains(blob.Digest), $"unreferenced blob {blob.Digest} survived the collection");

        var rows = metadata.Read(tx => tx.Snapshots(snapshots.Snapshotter).Ids());
        Assert.Equal(rows.Order(), snapshots.Existing().Order());
    }

    /// <summary>The digests reachable from <paramref name="roots"/> through berth.gc.ref.content* labels.</summary>
    public static HashSet<Digest> Closure(MetadataStore metadata, IEnumerable<Digest> roots)
    {
        var edges = ContentLabels(metadata).Where(l => l.Key.StartsWith(GcLabels.ContentRef, StringComparison.Ordinal))
            .ToLookup(l => l.Owner, l => Digest.Parse(l.Value));
        var seen = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots);
        while (pending.TryPop(out var digest))
        {
            if (seen.Add(digest))
                foreach (var next in edges[digest])
                    pending.Push(next);
        }
        return seen;
    }

    static List<(Digest Owner, string Key, string Value)> ContentLabels(MetadataStore metadata) => metadata.Read(tx =>
    {
        using var reader = tx.Command("SELECT digest, key, value FROM content_labels").ExecuteReader();
        var labels = new List<(Digest, string, string)>();
        while (reader.Read())
            labels.Add((Digest.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2)));
        return labels;
    });
}
