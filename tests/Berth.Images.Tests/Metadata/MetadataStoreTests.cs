using Berth.Images.Metadata;
using Berth.Oci;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Tests.Metadata;

public sealed class MetadataStoreTests : IDisposable
{
    static readonly Digest A = Digest.FromBytes("a"u8);
    static readonly Digest B = Digest.FromBytes("b"u8);
    const string Manifest = "application/vnd.oci.image.manifest.v1+json";

    readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void Migrates_an_empty_root_and_reopens_without_migrating()
    {
        using (var store = MetadataStore.Open(_root.Path))
        {
            Assert.Equal(0, store.FoundVersion);
            Assert.Equal(Path.Combine(_root.Path, "metadata.db"), store.Path);
            // Per connection: synchronous=FULL (2), foreign keys on, and the busy timeout.
            Assert.Equal(2L, store.Write(tx => tx.Command("PRAGMA synchronous").ExecuteScalar()));
            Assert.Equal(1L, store.Read(tx => tx.Command("PRAGMA foreign_keys").ExecuteScalar()));
            Assert.Equal(30_000L, store.Read(tx => tx.Command("PRAGMA busy_timeout").ExecuteScalar()));
        }
        using (var again = MetadataStore.Open(_root.Path))
            Assert.Equal(MetadataStore.SchemaVersion, again.FoundVersion);
        string db = Path.Combine(_root.Path, "metadata.db");
        Assert.Equal("wal", Scalar(db, "PRAGMA journal_mode"));
        Assert.Equal((long)MetadataStore.SchemaVersion, Scalar(db, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal("ok", Scalar(db, "PRAGMA integrity_check"));
    }

    [Fact]
    public void A_newer_schema_is_refused()
    {
        MetadataStore.Open(_root.Path).Dispose();
        Scalar(Path.Combine(_root.Path, "metadata.db"), "INSERT INTO schema_migrations VALUES (999, 0)");
        var e = Assert.Throws<StoreException>(() => MetadataStore.Open(_root.Path));
        Assert.Equal(StoreErrorKind.Internal, e.Kind);
        Assert.Contains("schema version 999 is newer", e.Message);
    }

    [Fact]
    public void A_failing_write_changes_nothing()
    {
        using var store = MetadataStore.Open(_root.Path);
        store.Write(tx => tx.Images.Create("keep", A, Manifest, 1));
        Assert.Throws<InvalidOperationException>(() => store.Write(tx =>
        {
            tx.Images.Create("gone", A, Manifest, 1);
            tx.Images.Delete("keep");
            tx.Content.SetLabel(A, "x", "y");
            throw new InvalidOperationException("boom");
        }));
        // A store error half-way rolls back what came before it, too.
        var conflict = Assert.Throws<StoreException>(() => store.Write(tx =>
        {
            tx.Images.Create("gone", A, Manifest, 1);
            tx.Images.Create("keep", B, Manifest, 1);
        }));
        Assert.Equal(StoreErrorKind.Conflict, conflict.Kind);
        Assert.Equal(["keep"], store.Read(tx => tx.Images.List().Select(i => i.Name).ToList()));
        Assert.Empty(store.Read(tx => tx.Content.Get(A)));
    }

    [Fact]
    public void Misuse_of_transactions_is_refused()
    {
        using var store = MetadataStore.Open(_root.Path);
        Assert.Throws<InvalidOperationException>(() => store.Read(tx => tx.Images.Create("x", A, Manifest, 1)));
        Assert.Throws<InvalidOperationException>(() => store.Write(tx => store.Write(inner => inner.Images.Delete("x"))));
        Assert.Throws<InvalidOperationException>(() => store.Write(tx => store.Read(inner => inner.Images.List())));
        var escaped = store.Read(tx => tx);
        Assert.Throws<InvalidOperationException>(() => escaped.Images.List());
        // The store still works afterwards.
        store.Write(tx => tx.Images.Create("x", A, Manifest, 1));
    }

    [Fact]
    public void Images()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567));
        using var store = MetadataStore.Open(_root.Path, new MetadataOptions { Time = time });
        var created = store.Write(tx => tx.Images.Create("docker.io/library/alpine:3.20", A, Manifest, 123, new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal(time.Now, created.Created);
        Assert.Equal(time.Now, created.Updated);
        Assert.Equal("v", created.Labels["k"]);
        Assert.Equal(StoreErrorKind.Conflict, Assert.Throws<StoreException>(() => store.Write(tx => tx.Images.Create("docker.io/library/alpine:3.20", B, Manifest, 1))).Kind);

        // Moving a tag keeps the creation time and (labels null) the labels.
        time.Advance(TimeSpan.FromMinutes(1));
        var moved = store.Write(tx => tx.Images.Set("docker.io/library/alpine:3.20", B, Manifest, 456));
        Assert.Equal((B, 456L, created.Created, time.Now, "v"), (moved.Target, moved.Size, moved.Created, moved.Updated, moved.Labels["k"]));
        store.Write(tx => tx.Images.Set("docker.io/library/alpine:latest", B, Manifest, 456, new Dictionary<string, string>()));
        store.Write(tx => tx.Images.SetLabel("docker.io/library/alpine:latest", "x", "y"));

        Assert.Equal(["docker.io/library/alpine:3.20", "docker.io/library/alpine:latest"], store.Read(tx => tx.Images.ByTarget(B).Select(i => i.Name).ToList()));
        Assert.Empty(store.Read(tx => tx.Images.ByTarget(A)));
        var list = store.Read(tx => tx.Images.List());
        Assert.Equal("y", list[1].Labels["x"]);
        Assert.True(store.Write(tx => tx.Images.Delete("docker.io/library/alpine:3.20")));
        Assert.False(store.Write(tx => tx.Images.Delete("docker.io/library/alpine:3.20")));
        Assert.Null(store.Read(tx => tx.Images.Get("docker.io/library/alpine:3.20")));
        Assert.Equal(StoreErrorKind.NotFound, Assert.Throws<StoreException>(() => store.Write(tx => tx.Images.SetLabel("nope", "a", "b"))).Kind);
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => store.Write(tx => tx.Images.Set("", A, Manifest, 1))).Kind);
    }

    [Fact]
    public void Content_labels()
    {
        using var store = MetadataStore.Open(_root.Path);
        store.Write(tx =>
        {
            tx.Content.Set(A, new Dictionary<string, string> { ["one"] = "1", ["two"] = "2" });
            tx.Content.SetLabel(A, "two", null);
            tx.Content.SetLabel(A, "three", "3");
            tx.Content.SetLabel(B, "b", "b");
        });
        Assert.Equal(new Dictionary<string, string> { ["one"] = "1", ["three"] = "3" }, store.Read(tx => tx.Content.Get(A)));
        Assert.Equal(new[] { A, B }.Order(), store.Read(tx => tx.Content.Labelled()));
        store.Write(tx => tx.Content.Remove(B));
        Assert.Empty(store.Read(tx => tx.Content.Get(B)));
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => store.Write(tx => tx.Content.SetLabel(A, "", "x"))).Kind);
    }

    [Fact]
    public async Task Two_stores_on_one_root_write_at_once()
    {
        // Two MetadataStore instances share nothing in memory, as berthd and the CLI would not:
        // their writers meet only in SQLite's lock (and wait on it, up to the busy timeout).
        using var first = MetadataStore.Open(_root.Path);
        using var second = MetadataStore.Open(_root.Path);
        await Task.WhenAll(new[] { first, second }.SelectMany((store, s) => Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 25; i++)
                store.Write(tx => tx.Images.Create($"image-{s}-{t}-{i}", A, Manifest, i));
        }))));
        Assert.Equal(200, first.Read(tx => tx.Images.List().Count));
        Assert.Equal(200, second.Read(tx => tx.Images.List().Count));
    }
}
