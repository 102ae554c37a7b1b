using System.Diagnostics;
using Berth.Images.Content;
using Berth.Images.Metadata;
using Berth.Oci;

namespace Berth.Images.Gc;

/// <summary>
/// Mark and sweep over the image store, as containerd's collector:
/// <list type="number">
/// <item>take gc.lock exclusively (<see cref="MetadataStore.LockCollection"/>): no write transaction runs
/// until the last file is deleted, so nothing can be referenced between "unreferenced" and "deleted";</item>
/// <item>in one write transaction: delete expired leases, mark (<see cref="GcGraph"/>), delete the rows
/// of unmarked snapshots (of snapshotters with a collector) and the labels of unmarked blobs;</item>
/// <item>after it commits: delete unmarked blobs, hand removed snapshots to their
/// <see cref="ISnapshotCollector"/>, remove stale ingests and crash debris.</item>
/// </list>
/// A crash after the commit leaves only unreferenced files, which the next collection removes.
/// Do not call it while this thread holds <see cref="MetadataStore.HoldCollection"/>: it would wait for itself.
/// </summary>
public sealed class GarbageCollector(MetadataStore metadata, IContentStore content, IEnumerable<ISnapshotCollector>? snapshotters = null)
{
    readonly Dictionary<string, ISnapshotCollector> _snapshotters = (snapshotters ?? []).ToDictionary(s => s.Snapshotter, StringComparer.Ordinal);

    public GcResult Collect(GcOptions? options = null)
    {
        options ??= new GcOptions();
        long started = Stopwatch.GetTimestamp();
        using var exclusive = metadata.LockCollection();
        var plan = metadata.WriteLocked(Plan);

        // The transaction has committed: now the files.
        var removedContent = new List<Digest>();
        long contentBytes = 0;
        foreach (var blob in plan.Content)
        {
            if (content.Delete(blob.Digest))
            {
                removedContent.Add(blob.Digest);
                contentBytes += blob.Size;
            }
        }
        long snapshotBytes = 0;
        foreach (var (name, collector) in _snapshotters)
            snapshotBytes += collector.Cleanup(plan.Snapshots.Where(s => s.Snapshotter == name).ToList(), plan.Recorded[name]);
        var ingests = RemoveIngests(metadata.Time.GetUtcNow() - options.IngestAge, plan.LeasedIngests);

        return new GcResult(
            removedContent, contentBytes,
            plan.Snapshots, snapshotBytes,
            ingests.Removed, ingests.Bytes,
            plan.ExpiredLeases, Stopwatch.GetElapsedTime(started));
    }

    SweepPlan Plan(MetadataTransaction tx)
    {
        var expired = tx.Leases.DeleteExpired();
        var graph = GcGraph.Load(tx);
        graph.Mark();

        // Blobs: everything on disk that is not marked. Labels: of every unmarked digest, present or not.
        var blobs = content.List().Where(b => !graph.LiveContent.Contains(b.Digest.ToString())).ToList();
        foreach (var digest in tx.Content.Labelled())
        {
            if (!graph.LiveContent.Contains(digest.ToString()))
                tx.Content.Remove(digest);
        }

        // Snapshots: children before parents (a child's id is always larger); an unmarked snapshot
        // never has a marked child, since a marked child marks its parent.
        var removed = new List<SnapshotRecord>();
        foreach (var (id, snapshotter, key) in graph.Snapshots.OrderByDescending(s => s.Id))
        {
            if (graph.LiveSnapshots.Contains(id) || !_snapshotters.ContainsKey(snapshotter))
                continue;
            removed.Add(tx.Snapshots(snapshotter).Remove(key));
        }
        var recorded = _snapshotters.Keys.ToDictionary(name => name, name => tx.Snapshots(name).Ids(), StringComparer.Ordinal);
        return new SweepPlan(blobs, removed, recorded, graph.LeasedIngests, expired);
    }

    IngestCleanup RemoveIngests(DateTimeOffset before, HashSet<string> leased)
    {
        if (content is FileContentStore files)
            return files.RemoveLeftovers(before, leased.Contains);
        // Another store: what the interface allows (stale named ingests, not locked by a writer).
        var removed = new List<string>();
        long bytes = 0;
        foreach (var ingest in content.Ingests().ToList())
        {
            if (ingest.UpdatedAt >= before || leased.Contains(ingest.Reference))
                continue;
            try
            {
                content.AbortIngest(ingest.Reference);
                removed.Add(ingest.Reference);
                bytes += ingest.Offset;
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.Conflict or StoreErrorKind.NotFound)
            {
            }
        }
        return new IngestCleanup(removed, bytes);
    }

    sealed record SweepPlan(
        List<ContentInfo> Content,
        List<SnapshotRecord> Snapshots,
        Dictionary<string, IReadOnlySet<long>> Recorded,
        HashSet<string> LeasedIngests,
        IReadOnlyList<string> ExpiredLeases);
}

public sealed record GcOptions
{
    /// <summary>Ingests (interrupted writes) untouched for this long, and not leased, are removed.</summary>
    public TimeSpan IngestAge { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>What a collection removed, and the bytes it freed.</summary>
public sealed record GcResult(
    IReadOnlyList<Digest> RemovedContent,
    long ContentBytes,
    IReadOnlyList<SnapshotRecord> RemovedSnapshots,
    long SnapshotBytes,
    IReadOnlyList<string> RemovedIngests,
    long IngestBytes,
    IReadOnlyList<string> ExpiredLeases,
    TimeSpan Duration)
{
    public long BytesReclaimed => ContentBytes + SnapshotBytes + IngestBytes;
}
