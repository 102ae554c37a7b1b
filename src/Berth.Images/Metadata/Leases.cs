using Berth.Oci;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// A lease, after containerd's: while it lives (until deleted, or until <see cref="Expires"/>) everything
/// it names — blobs, snapshots, ingests — is a garbage-collection root. Operations in flight (a pull,
/// a load, a commit) take one so that what they wrote survives until an image references it; the
/// expiry bounds how long a crashed operation's leftovers are kept.
/// </summary>
public sealed record Lease(string Id, DateTimeOffset Created, DateTimeOffset? Expires, IReadOnlyDictionary<string, string> Labels)
{
    public bool IsExpired(DateTimeOffset now) => Expires is { } expires && expires <= now;
}

public enum LeaseResourceKind
{
    /// <summary>A blob, by digest (it need not exist yet).</summary>
    Content,
    /// <summary>A snapshot, by snapshotter and key.</summary>
    Snapshot,
    /// <summary>An ingest, by reference: kept however old it is.</summary>
    Ingest,
}

/// <summary>What a lease holds. <see cref="Snapshotter"/> is set for snapshots only.</summary>
public readonly record struct LeaseResource(LeaseResourceKind Kind, string Id, string Snapshotter = "")
{
    public static LeaseResource Content(Digest digest)
        => new(LeaseResourceKind.Content, digest.IsEmpty ? throw StoreException.Invalid("empty digest") : digest.ToString());

    public static LeaseResource Snapshot(string snapshotter, string key) => new(LeaseResourceKind.Snapshot, key, snapshotter);

    public static LeaseResource Ingest(string reference) => new(LeaseResourceKind.Ingest, reference);

    internal string KindName => Kind switch
    {
        LeaseResourceKind.Content => "content",
        LeaseResourceKind.Snapshot => "snapshot",
        _ => "ingest",
    };

    internal static LeaseResourceKind ParseKind(string kind) => kind switch
    {
        "content" => LeaseResourceKind.Content,
        "snapshot" => LeaseResourceKind.Snapshot,
        _ => LeaseResourceKind.Ingest,
    };
}

/// <summary>The leases table, through a transaction.</summary>
public sealed class LeaseRecords
{
    readonly MetadataTransaction _tx;

    internal LeaseRecords(MetadataTransaction tx) => _tx = tx;

    /// <summary>A new lease, expiring <paramref name="expiresIn"/> from now (null: never); Conflict if the id is taken.</summary>
    public Lease Create(string id, TimeSpan? expiresIn = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (string.IsNullOrEmpty(id))
            throw StoreException.Invalid("lease id must not be empty");
        if (expiresIn is { } span && span < TimeSpan.Zero)
            throw StoreException.Invalid($"lease {id}: negative expiry {span}");
        LabelTable.Validate(labels);
        if (Get(id) is not null)
            throw StoreException.Conflict($"lease {id}: already exists");
        using var command = _tx.WriteCommand("INSERT INTO leases (id, created, expires) VALUES ($id, $now, $expires)")
            .With("$id", id).With("$now", SqlTime.ToNanos(_tx.Now)).With("$expires", SqlTime.ToNanos(_tx.Now + expiresIn));
        command.ExecuteNonQuery();
        LabelTable.Leases.Replace(_tx, id, labels);
        return Get(id)!;
    }

    /// <summary>The lease, expired or not (expired ones protect nothing and go at the next collection).</summary>
    public Lease? Get(string id)
    {
        using var command = _tx.Command("SELECT id, created, expires FROM leases WHERE id = $id").With("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Materialize(reader, LabelTable.Leases.Load(_tx, id)) : null;
    }

    public IReadOnlyList<Lease> List()
    {
        var labels = LabelTable.Leases.LoadAll(_tx, r => r.GetString(0));
        using var command = _tx.Command("SELECT id, created, expires FROM leases ORDER BY id");
        using var reader = command.ExecuteReader();
        var leases = new List<Lease>();
        while (reader.Read())
            leases.Add(Materialize(reader, labels.TryGetValue(reader.GetString(0), out var l) ? l : LabelTable.Empty));
        return leases;
    }

    /// <summary>Moves the expiry (null: never), e.g. for an operation that takes longer than planned.</summary>
    public Lease SetExpiry(string id, DateTimeOffset? expires)
    {
        using var command = _tx.WriteCommand("UPDATE leases SET expires = $expires WHERE id = $id").With("$expires", SqlTime.ToNanos(expires)).With("$id", id);
        if (command.ExecuteNonQuery() == 0)
            throw NotFound(id);
        return Get(id)!;
    }

    /// <summary>Deletes the lease and its resource list; what it held goes at the next collection unless referenced otherwise.</summary>
    public bool Delete(string id)
    {
        using var command = _tx.WriteCommand("DELETE FROM leases WHERE id = $id").With("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Adds a resource (again is fine). NotFound without the lease; Conflict if it has expired, since it no longer protects anything.</summary>
    public void AddResource(string id, LeaseResource resource)
    {
        var lease = Get(id) ?? throw NotFound(id);
        if (lease.IsExpired(_tx.Now))
            throw StoreException.Conflict($"lease {id}: expired at {lease.Expires:O}");
        if (string.IsNullOrEmpty(resource.Id) || (resource.Kind == LeaseResourceKind.Snapshot) == string.IsNullOrEmpty(resource.Snapshotter))
            throw StoreException.Invalid($"lease {id}: invalid resource {resource}");
        using var command = _tx.WriteCommand(
            "INSERT INTO lease_resources (lease_id, kind, snapshotter, ref) VALUES ($id, $kind, $sn, $ref) ON CONFLICT DO NOTHING");
        Bind(command, id, resource).ExecuteNonQuery();
    }

    public bool RemoveResource(string id, LeaseResource resource)
    {
        using var command = _tx.WriteCommand("DELETE FROM lease_resources WHERE lease_id = $id AND kind = $kind AND snapshotter = $sn AND ref = $ref");
        return Bind(command, id, resource).ExecuteNonQuery() > 0;
    }

    public IReadOnlyList<LeaseResource> Resources(string id)
    {
        using var command = _tx.Command("SELECT kind, snapshotter, ref FROM lease_resources WHERE lease_id = $id ORDER BY kind, snapshotter, ref").With("$id", id);
        return ReadResources(command);
    }

    /// <summary>The resources of every lease not expired at the transaction's time: what they keep alive.</summary>
    internal IReadOnlyList<LeaseResource> LiveResources()
    {
        using var command = _tx.Command(
            """
            SELECT r.kind, r.snapshotter, r.ref FROM lease_resources r JOIN leases l ON l.id = r.lease_id
            WHERE l.expires IS NULL OR l.expires > $now
            """).With("$now", SqlTime.ToNanos(_tx.Now));
        return ReadResources(command);
    }

    /// <summary>Deletes every lease expired at the transaction's time; returns their ids.</summary>
    internal IReadOnlyList<string> DeleteExpired()
    {
        using var command = _tx.WriteCommand("DELETE FROM leases WHERE expires IS NOT NULL AND expires <= $now RETURNING id").With("$now", SqlTime.ToNanos(_tx.Now));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    static IReadOnlyList<LeaseResource> ReadResources(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var resources = new List<LeaseResource>();
        while (reader.Read())
            resources.Add(new LeaseResource(LeaseResource.ParseKind(reader.GetString(0)), reader.GetString(2), reader.GetString(1)));
        return resources;
    }

    static SqliteCommand Bind(SqliteCommand command, string id, LeaseResource resource)
        => command.With("$id", id).With("$kind", resource.KindName).With("$sn", resource.Snapshotter ?? "").With("$ref", resource.Id);

    static Lease Materialize(SqliteDataReader reader, IReadOnlyDictionary<string, string> labels) => new(
        Id: reader.GetString(0),
        Created: SqlTime.FromNanos(reader.GetInt64(1)),
        Expires: SqlTime.FromNanos(reader.GetNullableInt64(2)),
        Labels: labels);

    static StoreException NotFound(string id) => StoreException.NotFound($"lease {id}: not found");
}
