using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// One open transaction of a <see cref="MetadataStore"/>, valid only inside the delegate it was given
/// to. The typed tables hang off it; writing through a read transaction throws.
/// </summary>
public sealed class MetadataTransaction
{
    readonly SqliteConnection _connection;
    bool _closed;

    internal MetadataTransaction(SqliteConnection connection, bool writable, DateTimeOffset now)
    {
        _connection = connection;
        IsWritable = writable;
        Now = now;
        Images = new ImageRecords(this);
        Content = new ContentLabels(this);
        Leases = new LeaseRecords(this);
    }

    public bool IsWritable { get; }

    /// <summary>The time the transaction started: created/updated stamps and lease expiry use it.</summary>
    public DateTimeOffset Now { get; }

    public ImageRecords Images { get; }

    public ContentLabels Content { get; }

    public LeaseRecords Leases { get; }

    /// <summary>The snapshots of one snapshotter (keys are unique per snapshotter).</summary>
    public SnapshotRecords Snapshots(string snapshotter) => new(this, snapshotter);

    internal SqliteCommand Command(string sql)
    {
        if (_closed)
            throw new InvalidOperationException("the metadata transaction has ended: use it only inside its delegate");
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    internal SqliteCommand WriteCommand(string sql)
    {
        if (!IsWritable)
            throw new InvalidOperationException("a read transaction cannot write: use MetadataStore.Write");
        return Command(sql);
    }

    internal void Close() => _closed = true;
}
