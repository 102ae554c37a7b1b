using System.Globalization;
using Berth.Images.Gc;
using Berth.Images.Layers;
using Berth.Images.Metadata;

namespace Berth.Images.Snapshots;

/// <summary>
/// What every snapshotter shares: rows in the metadata store, a directory per snapshot under
/// &lt;root&gt;/snapshots/&lt;name&gt;/&lt;id&gt;/ (the id of its row, which a commit keeps), made inside the
/// transaction that inserts the row and removed after the one that deletes it has committed; and
/// the garbage collector's sweep of those directories. Subclasses say what a snapshot's directory
/// holds and how it mounts.
/// </summary>
public abstract class Snapshotter : ISnapshotter, ISnapshotCollector
{
    readonly MetadataStore _metadata;

    protected Snapshotter(MetadataStore metadata, string name)
    {
        _metadata = metadata;
        Name = name;
        Directory = Path.Combine(metadata.Root, "snapshots", name);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Name { get; }

    string ISnapshotCollector.Snapshotter => Name;

    /// <summary>&lt;root&gt;/snapshots/&lt;name&gt;: one directory per snapshot id.</summary>
    public string Directory { get; }

    protected string PathOf(long id) => Path.Combine(Directory, id.ToString(CultureInfo.InvariantCulture));

    /// <summary>The directory holding a snapshot's own files (its layer).</summary>
    protected string LayerPath(long id) => Path.Combine(PathOf(id), "fs");

    public SnapshotInfo Stat(string key) => _metadata.Read(tx => Records(tx).Stat(key)).ToInfo();

    public IReadOnlyList<MountSpec> Prepare(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null)
        => Create(key, parent, SnapshotKind.Active, labels);

    public IReadOnlyList<MountSpec> View(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null)
        => Create(key, parent, SnapshotKind.View, labels);

    public IReadOnlyList<MountSpec> Mounts(string key)
    {
        var (self, chain) = _metadata.Read(tx => (Records(tx).Stat(key), Records(tx).ParentChain(key)));
        if (self.Kind == SnapshotKind.Committed)
            throw StoreException.Invalid($"snapshot {key}: a committed snapshot has no mounts; prepare or view one over it");
        return MountsOf(self, chain);
    }

    public IReadOnlyList<MountSpec> ReadOnlyMounts(string key)
    {
        var self = Active(key, out var chain);
        return ReadOnlyMountsOf(self, chain);
    }

    public void Commit(string name, string key, IReadOnlyDictionary<string, string>? labels = null)
        => _metadata.Write(tx => Records(tx).Commit(key, name, labels));

    public void Remove(string key)
    {
        var removed = _metadata.Write(tx => Records(tx).Remove(key));
        RemoveDirectory(removed.Id);
    }

    public IEnumerable<SnapshotInfo> Walk() => _metadata.Read(tx => Records(tx).List()).Select(r => r.ToInfo());

    public SnapshotUsage Usage(string key)
    {
        var self = _metadata.Read(tx => Records(tx).Stat(key));
        return DiskUsage.Of(LayerPath(self.Id));
    }

    public LayerDirectory LayerDirectory(string key)
    {
        var self = Active(key, out _);
        return new LayerDirectory(LayerPath(self.Id), Whiteouts);
    }

    public IReadOnlyList<Change> Changes(string key)
    {
        var self = Active(key, out var chain);
        return ChangesOf(self, chain);
    }

    public LayerWriteResult WriteLayer(string key, Stream output, LayerWriteOptions? options = null)
    {
        var self = Active(key, out var chain);
        return WriteLayerOf(self, chain, output, options);
    }

    /// <summary>How whiteouts are written into a layer directory of this snapshotter.</summary>
    protected abstract WhiteoutMode Whiteouts { get; }

    /// <summary>Makes the directory of a new snapshot (inside the inserting transaction: quick work only).</summary>
    protected abstract void CreateDirectory(SnapshotRecord self);

    /// <summary>Fills a new snapshot from its parents, after its row has committed (may take long).</summary>
    protected virtual void Populate(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
    {
    }

    protected abstract IReadOnlyList<MountSpec> MountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain);

    protected abstract IReadOnlyList<MountSpec> ReadOnlyMountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain);

    protected abstract IReadOnlyList<Change> ChangesOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain);

    protected abstract LayerWriteResult WriteLayerOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain, Stream output, LayerWriteOptions? options);

    IReadOnlyList<MountSpec> Create(string key, string? parent, SnapshotKind kind, IReadOnlyDictionary<string, string>? labels)
    {
        var (self, chain) = _metadata.Write(tx =>
        {
            var records = Records(tx);
            var inserted = records.Insert(key, parent, kind, labels);
            // A directory left by a crash under an id SQLite hands out again is debris: start clean.
            RemoveDirectory(inserted.Id);
            CreateDirectory(inserted);
            return (inserted, records.ParentChain(key));
        });
        try
        {
            Populate(self, chain);
        }
        catch
        {
            Remove(key);
            throw;
        }
        return MountsOf(self, chain);
    }

    SnapshotRecord Active(string key, out IReadOnlyList<SnapshotRecord> chain)
    {
        var (self, parents) = _metadata.Read(tx => (Records(tx).Stat(key), Records(tx).ParentChain(key)));
        if (self.Kind != SnapshotKind.Active)
            throw StoreException.Invalid($"snapshot {key}: not an active snapshot");
        chain = parents;
        return self;
    }

    SnapshotRecords Records(MetadataTransaction tx) => tx.Snapshots(Name);

    void RemoveDirectory(long id)
    {
        string path = PathOf(id);
        if (System.IO.Directory.Exists(path))
            DiskUsage.RemoveTree(path);
    }

    long ISnapshotCollector.Cleanup(IReadOnlyList<SnapshotRecord> removed, IReadOnlySet<long> recorded)
    {
        long bytes = 0;
        foreach (string path in System.IO.Directory.EnumerateDirectories(Directory))
        {
            if (long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out long id) && recorded.Contains(id))
                continue;
            bytes += DiskUsage.Of(path).Size;
            DiskUsage.RemoveTree(path);
        }
        return bytes;
    }
}
