using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// The tables of metadata.db and their forward migrations. A migration is appended, never edited:
/// <see cref="Migrations"/>[i] takes the schema from version i to i + 1, and each runs in the same
/// transaction as the row that records it in schema_migrations, so a crash leaves the old version or
/// the new one. A database newer than this code is refused rather than misread.
///
/// Times are unix nanoseconds (INTEGER). Ids that name directories (snapshots/&lt;id&gt;) are
/// AUTOINCREMENT so that an id is never reused: a deleted snapshot's directory may still be on its way
/// out when the next snapshot is made.
/// </summary>
internal static class Schema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE images (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            target_digest TEXT NOT NULL,
            target_media_type TEXT NOT NULL,
            target_size INTEGER NOT NULL,
            created INTEGER NOT NULL,
            updated INTEGER NOT NULL
        );
        CREATE INDEX images_by_target ON images (target_digest);
        CREATE TABLE image_labels (
            image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (image_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE content_labels (
            digest TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (digest, key)
        ) WITHOUT ROWID;

        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            snapshotter TEXT NOT NULL,
            key TEXT NOT NULL,
            parent_id INTEGER REFERENCES snapshots (id),
            kind TEXT NOT NULL CHECK (kind IN ('view', 'active', 'committed')),
            created INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            UNIQUE (snapshotter, key)
        );
        CREATE INDEX snapshots_by_parent ON snapshots (parent_id);
        CREATE TABLE snapshot_labels (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE leases (
            id TEXT PRIMARY KEY,
            created INTEGER NOT NULL,
            expires INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE lease_labels (
            lease_id TEXT NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (lease_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE lease_resources (
            lease_id TEXT NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('content', 'snapshot', 'ingest')),
            snapshotter TEXT NOT NULL,
            ref TEXT NOT NULL,
            PRIMARY KEY (lease_id, kind, snapshotter, ref)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int Latest => Migrations.Length;

    /// <summary>Brings the database to <see cref="Latest"/> in one immediate transaction; returns the version found.</summary>
    public static int Migrate(SqliteConnection connection, DateTimeOffset now, string path)
    {
        Sql.Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Sql.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)");
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
            int found = Convert.ToInt32(query.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (found > Latest)
                throw new StoreException(StoreErrorKind.Internal, $"{path}: schema version {found} is newer than this Berth knows ({Latest}); upgrade Berth");
            for (int version = found + 1; version <= Latest; version++)
            {
                Sql.Execute(connection, Migrations[version - 1]);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_migrations (version, applied) VALUES ($version, $applied)";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$applied", SqlTime.ToNanos(now));
                record.ExecuteNonQuery();
            }
            Sql.Execute(connection, "COMMIT");
            return found;
        }
        catch
        {
            Sql.Rollback(connection);
            throw;
        }
    }
}
