using System.Collections.Concurrent;
using System.Globalization;
using Berth.Linux;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// The image store's metadata: one SQLite database, &lt;data root&gt;/metadata.db, in WAL mode, shared by
/// every Berth process on the data root (berthd and the CLI may have it open at once).
///
/// All access goes through a transaction: <see cref="Read{T}"/> runs the delegate in a read transaction
/// (one consistent snapshot, never blocked by a writer), <see cref="Write{T}"/> in BEGIN IMMEDIATE
/// (the write lock taken up front, so two writers queue behind the busy timeout instead of failing
/// half-way); the delegate's exception rolls everything back. So each call completes or changes
/// nothing, and <c>kill -9</c> at any instant leaves the last committed state. Commits are durable
/// (synchronous=FULL: the WAL is fsynced at every commit), because files are deleted after the
/// transaction that decided it commits, and that decision must not be the part a crash loses.
///
/// Garbage collection holds an exclusive flock on &lt;data root&gt;/gc.lock from its mark until its last
/// file is deleted, and every <see cref="Write{T}"/> holds it shared: a transaction that adds a
/// reference (an image, a lease resource) runs wholly before or wholly after a collection. Hence the
/// rule for callers: reference first (add the digest to your lease), then look whether the blob is
/// there; or, for content whose digest is known only at commit, commit inside
/// <see cref="HoldCollection"/> (see <see cref="LeaseHandle.Commit"/>).
/// </summary>
public sealed class MetadataStore : IDisposable
{
    public const string FileName = "metadata.db";
    public const string GcLockFileName = "gc.lock";

    static MetadataStore() => SQLitePCL.Batteries_V2.Init();

    [ThreadStatic]
    static MetadataStore? t_open;

    readonly string _connectionString;
    readonly int _busyTimeoutMs;
    readonly SqliteConnection _writer;
    readonly SemaphoreSlim _writeGate = new(1, 1);
    readonly ConcurrentBag<SqliteConnection> _readers = [];
    bool _disposed;

    MetadataStore(string root, MetadataOptions options)
    {
        Root = System.IO.Path.GetFullPath(root);
        Path = System.IO.Path.Combine(Root, FileName);
        GcLockPath = System.IO.Path.Combine(Root, GcLockFileName);
        Time = options.Time;
        _busyTimeoutMs = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // This class pools its own connections, each set up once (pragmas below).
            Pooling = false,
        }.ToString();
        Directory.CreateDirectory(Root);
        if (!File.Exists(GcLockPath))
            File.WriteAllBytes(GcLockPath, []);
        _writer = Connect(readOnly: false);
        try
        {
            // Persistent in the file; a no-op when it is WAL already.
            Sql.Execute(_writer, "PRAGMA journal_mode=WAL");
            FoundVersion = Schema.Migrate(_writer, Time.GetUtcNow(), Path);
        }
        catch
        {
            _writer.Dispose();
            throw;
        }
    }

    /// <summary>Opens (creating and migrating) &lt;root&gt;/metadata.db.</summary>
    public static MetadataStore Open(string root, MetadataOptions? options = null)
    {
        try
        {
            return new MetadataStore(root, options ?? new MetadataOptions());
        }
        catch (SqliteException e)
        {
            throw new StoreException(StoreErrorKind.Internal, $"open {System.IO.Path.Combine(root, FileName)}: {e.Message}", e);
        }
    }

    /// <summary>The data root.</summary>
    public string Root { get; }

    /// <summary>The database file.</summary>
    public string Path { get; }

    internal string GcLockPath { get; }

    public TimeProvider Time { get; }

    /// <summary>The schema version the database had when opened (0: it was new); it is now <see cref="SchemaVersion"/>.</summary>
    public int FoundVersion { get; }

    public static int SchemaVersion => Schema.Latest;

    /// <summary>Runs <paramref name="read"/> on one consistent snapshot; writing through it throws.</summary>
    public T Read<T>(Func<MetadataTransaction, T> read) => Run(read, writable: false, guard: false);

    /// <summary>Runs <paramref name="write"/> in one immediate transaction: all of it commits, or (on an exception) nothing.</summary>
    public T Write<T>(Func<MetadataTransaction, T> write) => Run(write, writable: true, guard: true);

    public void Write(Action<MetadataTransaction> write) => Run(tx => { write(tx); return true; }, writable: true, guard: true);

    /// <summary>
    /// Keeps garbage collection from starting (and waits for a running one to finish) until disposed:
    /// for work that must not be split by a collection, such as committing content and then adding
    /// its digest to a lease. Transactions may run inside it.
    /// </summary>
    public IDisposable HoldCollection() => FileLock.Acquire(GcLockPath, exclusive: false);

    /// <summary>The collector's side: exclusive, while it marks, sweeps and deletes files.</summary>
    internal IDisposable LockCollection() => FileLock.Acquire(GcLockPath, exclusive: true);

    /// <summary>A write transaction for the collector, who holds <see cref="LockCollection"/> already.</summary>
    internal T WriteLocked<T>(Func<MetadataTransaction, T> write) => Run(write, writable: true, guard: false);

    T Run<T>(Func<MetadataTransaction, T> body, bool writable, bool guard)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A second transaction on the same thread would wait for the first (write) or not see its
        // changes (read): always a bug, so say so instead of deadlocking for the busy timeout.
        if (t_open == this)
            throw new InvalidOperationException("a metadata transaction is already open on this thread: use it");
        using var collection = guard ? HoldCollection() : null;
        if (writable)
            _writeGate.Wait();
        var connection = writable ? _writer : RentReader();
        var tx = new MetadataTransaction(connection, writable, Time.GetUtcNow());
        t_open = this;
        try
        {
            Sql.Execute(connection, writable ? "BEGIN IMMEDIATE" : "BEGIN");
            try
            {
                T result = body(tx);
                tx.Close();
                Sql.Execute(connection, "COMMIT");
                return result;
            }
            catch
            {
                tx.Close();
                Sql.Rollback(connection);
                throw;
            }
        }
        catch (SqliteException e)
        {
            throw new StoreException(StoreErrorKind.Internal, $"metadata {Path}: {e.Message}", e);
        }
        finally
        {
            t_open = null;
            if (writable)
                _writeGate.Release();
            else
                _readers.Add(connection);
        }
    }

    SqliteConnection RentReader() => _readers.TryTake(out var connection) ? connection : Connect(readOnly: true);

    SqliteConnection Connect(bool readOnly)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per connection: wait for other processes' locks instead of failing; enforce foreign keys;
        // fsync at every commit; readers cannot write even by mistake.
        Sql.Execute(connection, string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA query_only={(readOnly ? "ON" : "OFF")};"));
        return connection;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _writeGate.Wait();
        _writer.Dispose();
        while (_readers.TryTake(out var reader))
            reader.Dispose();
        _writeGate.Dispose();
    }
}

public sealed record MetadataOptions
{
    /// <summary>How long a transaction waits for another process's write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for created/updated times and lease expiry (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
