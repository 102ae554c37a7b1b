using Berth.Images.Metadata;
using Berth.Oci;

namespace Berth.Images.Gc;

/// <summary>
/// The reference graph as one transaction sees it, and its mark phase. Nodes are blobs (by digest
/// text) and snapshot rows (by id); edges are gc labels and snapshot parents; roots are image targets,
/// the resources of live leases, active snapshots and views, and objects labelled berth.gc.root.
/// Everything is loaded at once (a few queries), since a store holds thousands of objects, not millions.
/// </summary>
internal sealed class GcGraph
{
    readonly Dictionary<string, List<Node>> _contentEdges = new(StringComparer.Ordinal);
    readonly Dictionary<long, List<Node>> _snapshotEdges = [];
    readonly Dictionary<(string Snapshotter, string Key), long> _snapshotIds = [];
    readonly List<Node> _roots = [];

    public HashSet<string> LiveContent { get; } = new(StringComparer.Ordinal);

    public HashSet<long> LiveSnapshots { get; } = [];

    /// <summary>Ingest references held by live leases.</summary>
    public HashSet<string> LeasedIngests { get; } = new(StringComparer.Ordinal);

    /// <summary>Every snapshot row: id, snapshotter, key.</summary>
    public List<(long Id, string Snapshotter, string Key)> Snapshots { get; } = [];

    readonly record struct Node(string? Digest, long Snapshot);

    public static GcGraph Load(MetadataTransaction tx)
    {
        var graph = new GcGraph();
        graph.LoadSnapshots(tx);
        graph.LoadRoots(tx);
        graph.LoadLabels(tx, "SELECT digest, key, value FROM content_labels WHERE key GLOB 'berth.gc.*'", snapshot: false);
        graph.LoadLabels(tx, "SELECT snapshot_id, key, value FROM snapshot_labels WHERE key GLOB 'berth.gc.*'", snapshot: true);
        return graph;
    }

    /// <summary>Marks everything reachable from the roots.</summary>
    public void Mark()
    {
        var pending = new Stack<Node>(_roots);
        while (pending.TryPop(out var node))
        {
            List<Node>? edges;
            if (node.Digest is { } digest)
            {
                if (!LiveContent.Add(digest))
                    continue;
                _contentEdges.TryGetValue(digest, out edges);
            }
            else
            {
                if (!LiveSnapshots.Add(node.Snapshot))
                    continue;
                _snapshotEdges.TryGetValue(node.Snapshot, out edges);
            }
            if (edges is not null)
                foreach (var edge in edges)
                    pending.Push(edge);
        }
    }

    void LoadSnapshots(MetadataTransaction tx)
    {
        using var command = tx.Command(
            $"SELECT id, snapshotter, key, parent_id, kind, EXISTS (SELECT 1 FROM snapshot_labels l WHERE l.snapshot_id = s.id AND l.key = '{GcLabels.Transient}') FROM snapshots s");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            long id = reader.GetInt64(0);
            string snapshotter = reader.GetString(1), key = reader.GetString(2);
            Snapshots.Add((id, snapshotter, key));
            _snapshotIds[(snapshotter, key)] = id;
            if (!reader.IsDBNull(3))
                Edge(_snapshotEdges, id, new Node(null, reader.GetInt64(3)));
            // Active snapshots and views are file systems in use (containers'), unless marked transient.
            if (reader.GetString(4) != "committed" && !reader.GetBoolean(5))
                _roots.Add(new Node(null, id));
        }
    }

    void LoadRoots(MetadataTransaction tx)
    {
        using (var command = tx.Command("SELECT target_digest FROM images"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                _roots.Add(new Node(reader.GetString(0), 0));
        }
        foreach (var resource in tx.Leases.LiveResources())
        {
            switch (resource.Kind)
            {
                case LeaseResourceKind.Content:
                    _roots.Add(new Node(resource.Id, 0));
                    break;
                case LeaseResourceKind.Snapshot when _snapshotIds.TryGetValue((resource.Snapshotter, resource.Id), out long id):
                    _roots.Add(new Node(null, id));
                    break;
                case LeaseResourceKind.Ingest:
                    LeasedIngests.Add(resource.Id);
                    break;
            }
        }
    }

    void LoadLabels(MetadataTransaction tx, string sql, bool snapshot)
    {
        using var command = tx.Command(sql);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var from = snapshot ? new Node(null, reader.GetInt64(0)) : new Node(reader.GetString(0), 0);
            string key = reader.GetString(1), value = reader.GetString(2);
            Node? to = null;
            if (key == GcLabels.Root)
                _roots.Add(from);
            else if (GcLabels.IsContentRef(key))
                to = Digest.TryParse(value, out var digest) ? new Node(digest.ToString(), 0) : null;
            else if (GcLabels.SnapshotRefSnapshotter(key) is { } snapshotter && _snapshotIds.TryGetValue((snapshotter, value), out long id))
                to = new Node(null, id);
            if (to is { } target)
            {
                if (from.Digest is { } digest)
                    Edge(_contentEdges, digest, target);
                else
                    Edge(_snapshotEdges, from.Snapshot, target);
            }
        }
    }

    static void Edge<TKey>(Dictionary<TKey, List<Node>> edges, TKey from, Node to) where TKey : notnull
    {
        if (!edges.TryGetValue(from, out var list))
            edges[from] = list = [];
        list.Add(to);
    }
}
