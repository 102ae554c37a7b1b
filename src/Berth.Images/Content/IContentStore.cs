using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// Blobs by digest (layers, configs, manifests), stored once under content/blobs/&lt;alg&gt;/&lt;hex&gt;.
///
/// Writing goes through an ingest named by a caller-chosen reference (e.g. "pull-&lt;digest&gt;"): bytes are
/// hashed while written into content/ingest/&lt;ref&gt;/data, and <see cref="ContentWriter.Commit"/>
/// verifies size and digest, then renames the file into place — a blob is either whole and verified
/// or absent. An ingest survives the process (a pull resumes at <see cref="ContentWriter.Offset"/>),
/// and two writers of the same reference exclude each other. Committing content that already exists
/// is not an error (the ingest is dropped).
///
/// The store itself keeps no references: what is in use is decided by the metadata (images, leases)
/// and garbage collection deletes the rest.
/// </summary>
public interface IContentStore
{
    /// <summary>Size and time of a blob, or null if absent.</summary>
    ContentInfo? Info(Digest digest);

    /// <summary>Reads a blob; <see cref="StoreErrorKind.NotFound"/> if absent.</summary>
    Stream OpenRead(Digest digest);

    /// <summary>Opens (or resumes) the ingest <paramref name="reference"/>. With <paramref name="expected"/>
    /// already present, returns null: nothing needs writing.</summary>
    ContentWriter? OpenWriter(string reference, Digest? expected = null, long expectedSize = -1);

    /// <summary>Removes a blob; false if it was not there.</summary>
    bool Delete(Digest digest);

    IEnumerable<ContentInfo> List();

    /// <summary>Ingests in progress (or left by a crash), for resuming, listing and cleaning.</summary>
    IEnumerable<IngestStatus> Ingests();

    void AbortIngest(string reference);
}

public sealed record ContentInfo(Digest Digest, long Size, DateTimeOffset CreatedAt);

public sealed record IngestStatus(string Reference, long Offset, Digest? Expected, long ExpectedSize, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt);

/// <summary>An ingest being written; dispose without commit keeps it for resuming (call Abort to drop it).</summary>
public abstract class ContentWriter : IDisposable
{
    /// <summary>Bytes written so far (where a resumed ingest continues).</summary>
    public abstract long Offset { get; }

    public abstract void Write(ReadOnlySpan<byte> data);

    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The digest of what was written so far.</summary>
    public abstract Digest CurrentDigest { get; }

    /// <summary>Verifies size and digest (when given here or at open) and moves the blob into place.
    /// A mismatch throws <see cref="StoreErrorKind.DataLoss"/> and removes the ingest.</summary>
    public abstract Digest Commit(long expectedSize = -1, Digest? expected = null);

    public abstract void Abort();

    public abstract void Dispose();
}
