using Berth.Images.Metadata;

namespace Berth.Images.Gc;

/// <summary>
/// The snapshotter's part of garbage collection: its directories. The collector decides in its
/// transaction which snapshot rows go and deletes them; once that transaction has committed — and
/// while the collector still keeps every other writer out (so no Prepare is half-way) — it calls
/// <see cref="Cleanup"/> of the snapshotter the rows belonged to.
/// </summary>
public interface ISnapshotCollector
{
    /// <summary>The snapshotter's name, as in <see cref="MetadataTransaction.Snapshots"/> and <see cref="GcLabels.Snapshot"/>.
    /// Rows of a snapshotter without a registered collector are never swept.</summary>
    string Snapshotter { get; }

    /// <summary>
    /// Removes the directories of <paramref name="removed"/> (rows already deleted), and any other
    /// directory whose id is not in <paramref name="recorded"/> (the ids that still have rows: what a
    /// crash between mkdir and commit left). Returns the bytes freed.
    /// </summary>
    long Cleanup(IReadOnlyList<SnapshotRecord> removed, IReadOnlySet<long> recorded);
}
