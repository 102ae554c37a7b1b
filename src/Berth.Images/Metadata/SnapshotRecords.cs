using Berth.Images.Snapshots;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// A snapshot's row. <see cref="Id"/> is internal and never reused: the snapshotter names the
/// snapshot's directory by it (snapshots/&lt;id&gt;), so a commit (which renames the key) moves nothing
/// on disk. <see cref="Parent"/> is the parent's key (null for a base layer).
/// </summary>
public sealed record SnapshotRecord(
    long Id,
    string Snapshotter,
    string Key,
    string? Parent,
    long? ParentId,
    SnapshotKind Kind,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyDictionary<string, string> Labels)
{
    public SnapshotInfo ToInfo() => new(Key, Parent, Kind, Created, Labels);
}

/// <summary>
/// The snapshots table of one snapshotter, through a transaction. Parents are committed snapshots
/// of the same snapshotter; a snapshot with children cannot be removed. The snapshotter creates a
/// directory before the transaction that inserts its row commits, and deletes directories only after
/// the transaction that removed their rows committed.
/// </summary>
public sealed class SnapshotRecords
{
    const string Select = """
        SELECT s.id, s.key, p.key, s.parent_id, s.kind, s.created, s.updated
        FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent_id
        """;

    readonly MetadataTransaction _tx;

    internal SnapshotRecords(MetadataTransaction tx, string snapshotter)
    {
        if (string.IsNullOrEmpty(snapshotter) || snapshotter.Contains('/'))
            throw StoreException.Invalid($"invalid snapshotter name \"{snapshotter}\"");
        _tx = tx;
        Snapshotter = snapshotter;
    }

    public string Snapshotter { get; }

    public SnapshotRecord? Get(string key)
    {
        using var command = _tx.Command($"{Select} WHERE s.snapshotter = $sn AND s.key = $key").With("$sn", Snapshotter).With("$key", key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Materialize(reader, LabelTable.Snapshots.Load(_tx, reader.GetInt64(0))) : null;
    }

    /// <summary>As <see cref="Get"/>, but <see cref="StoreErrorKind.NotFound"/> when absent.</summary>
    public SnapshotRecord Stat(string key) => Get(key) ?? throw NotFound(key);

    /// <summary>
    /// A new active snapshot or view named <paramref name="key"/> over the committed snapshot
    /// <paramref name="parent"/> (null: none). Conflict if the key exists, NotFound if the parent does
    /// not, InvalidArgument if the parent is not committed.
    /// </summary>
    public SnapshotRecord Insert(string key, string? parent, SnapshotKind kind, IReadOnlyDictionary<string, string>? labels = null)
    {
        ValidateKey(key);
        if (kind == SnapshotKind.Committed)
            throw StoreException.Invalid($"snapshot {key}: insert makes active snapshots and views; commit makes committed ones");
        LabelTable.Validate(labels);
        if (Get(key) is not null)
            throw StoreException.Conflict($"snapshot {key}: already exists");
        long? parentId = null;
        if (parent is not null)
        {
            var p = Get(parent) ?? throw StoreException.NotFound($"snapshot {key}: parent {parent} not found");
            if (p.Kind != SnapshotKind.Committed)
                throw StoreException.Invalid($"snapshot {key}: parent {parent} is not committed");
            parentId = p.Id;
        }
        using var command = _tx.WriteCommand(
            """
            INSERT INTO snapshots (snapshotter, key, parent_id, kind, created, updated)
            VALUES ($sn, $key, $parent, $kind, $now, $now) RETURNING id
            """)
            .With("$sn", Snapshotter).With("$key", key).With("$parent", parentId).With("$kind", KindName(kind)).With("$now", SqlTime.ToNanos(_tx.Now));
        long id = (long)command.ExecuteScalar()!;
        LabelTable.Snapshots.Replace(_tx, id, labels);
        return Stat(key);
    }

    /// <summary>
    /// Turns the active snapshot <paramref name="key"/> into the committed snapshot <paramref name="name"/>
    /// (same id, same directory). <paramref name="labels"/> replace the active snapshot's, or (null) are
    /// kept. A lease that held the active key should get the committed name in the same transaction.
    /// </summary>
    public SnapshotRecord Commit(string key, string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        ValidateKey(name);
        var active = Stat(key);
        if (active.Kind != SnapshotKind.Active)
            throw StoreException.Invalid($"snapshot {key}: only an active snapshot can be committed, not a {KindName(active.Kind)} one");
        if (Get(name) is not null)
            throw StoreException.Conflict($"snapshot {name}: already exists");
        using var command = _tx.WriteCommand("UPDATE snapshots SET key = $name, kind = 'committed', updated = $now WHERE id = $id")
            .With("$name", name).With("$now", SqlTime.ToNanos(_tx.Now)).With("$id", active.Id);
        command.ExecuteNonQuery();
        if (labels is not null)
            LabelTable.Snapshots.Replace(_tx, active.Id, labels);
        return Stat(name);
    }

    /// <summary>
    /// Deletes the row of <paramref name="key"/> and returns it (its <see cref="SnapshotRecord.Id"/> names
    /// the directory to delete once the transaction commits). Conflict while it has children.
    /// </summary>
    public SnapshotRecord Remove(string key)
    {
        var record = Stat(key);
        using (var children = _tx.Command("SELECT count(*) FROM snapshots WHERE parent_id = $id").With("$id", record.Id))
        {
            long count = (long)children.ExecuteScalar()!;
            if (count > 0)
                throw StoreException.Conflict($"snapshot {key}: parent of {count} other snapshot(s); remove them first");
        }
        using var command = _tx.WriteCommand("DELETE FROM snapshots WHERE id = $id").With("$id", record.Id);
        command.ExecuteNonQuery();
        return record;
    }

    /// <summary>Replaces the labels (null: removes all).</summary>
    public SnapshotRecord SetLabels(string key, IReadOnlyDictionary<string, string>? labels)
    {
        var record = Stat(key);
        LabelTable.Snapshots.Replace(_tx, record.Id, labels);
        Touch(record.Id);
        return Stat(key);
    }

    /// <summary>Sets one label, or removes it when <paramref name="value"/> is null.</summary>
    public SnapshotRecord SetLabel(string key, string label, string? value)
    {
        var record = Stat(key);
        LabelTable.Snapshots.Set(_tx, record.Id, label, value);
        Touch(record.Id);
        return Stat(key);
    }

    /// <summary>Every snapshot of this snapshotter, parents before children (by id).</summary>
    public IReadOnlyList<SnapshotRecord> List()
    {
        var labels = LabelTable.Snapshots.LoadAll(_tx, r => r.GetInt64(0));
        using var command = _tx.Command($"{Select} WHERE s.snapshotter = $sn ORDER BY s.id").With("$sn", Snapshotter);
        using var reader = command.ExecuteReader();
        var all = new List<SnapshotRecord>();
        while (reader.Read())
            all.Add(Materialize(reader, labels.TryGetValue(reader.GetInt64(0), out var l) ? l : LabelTable.Empty));
        return all;
    }

    /// <summary>The ancestors of <paramref name="key"/>, nearest first (overlay's lowerdir order); empty for a base layer.</summary>
    public IReadOnlyList<SnapshotRecord> ParentChain(string key)
    {
        var self = Stat(key);
        using var command = _tx.Command(
            """
            WITH RECURSIVE chain (id, depth) AS (
                SELECT $parent, 1 WHERE $parent IS NOT NULL
                UNION ALL
                SELECT s.parent_id, c.depth + 1 FROM snapshots s JOIN chain c ON s.id = c.id WHERE s.parent_id IS NOT NULL
            )
            SELECT s.id, s.key, p.key, s.parent_id, s.kind, s.created, s.updated
            FROM chain c JOIN snapshots s ON s.id = c.id LEFT JOIN snapshots p ON p.id = s.parent_id
            ORDER BY c.depth
            """).With("$parent", self.ParentId);
        using var reader = command.ExecuteReader();
        var chain = new List<SnapshotRecord>();
        while (reader.Read())
            chain.Add(Materialize(reader, LabelTable.Snapshots.Load(_tx, reader.GetInt64(0))));
        return chain;
    }

    /// <summary>The ids of every snapshot of this snapshotter: the directories that must exist.</summary>
    public IReadOnlySet<long> Ids()
    {
        using var command = _tx.Command("SELECT id FROM snapshots WHERE snapshotter = $sn").With("$sn", Snapshotter);
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    void Touch(long id)
    {
        using var command = _tx.WriteCommand("UPDATE snapshots SET updated = $now WHERE id = $id").With("$now", SqlTime.ToNanos(_tx.Now)).With("$id", id);
        command.ExecuteNonQuery();
    }

    SnapshotRecord Materialize(SqliteDataReader reader, IReadOnlyDictionary<string, string> labels) => new(
        Id: reader.GetInt64(0),
        Snapshotter: Snapshotter,
        Key: reader.GetString(1),
        Parent: reader.GetNullableString(2),
        ParentId: reader.GetNullableInt64(3),
        Kind: ParseKind(reader.GetString(4)),
        Created: SqlTime.FromNanos(reader.GetInt64(5)),
        Updated: SqlTime.FromNanos(reader.GetInt64(6)),
        Labels: labels);

    internal static string KindName(SnapshotKind kind) => kind switch
    {
        SnapshotKind.View => "view",
        SnapshotKind.Active => "active",
        _ => "committed",
    };

    internal static SnapshotKind ParseKind(string kind) => kind switch
    {
        "view" => SnapshotKind.View,
        "active" => SnapshotKind.Active,
        _ => SnapshotKind.Committed,
    };

    static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key))
            throw StoreException.Invalid("snapshot key must not be empty");
    }

    StoreException NotFound(string key) => StoreException.NotFound($"snapshot {key}: not found ({Snapshotter})");
}
