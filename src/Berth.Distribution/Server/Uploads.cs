using System.Buffers;
using System.Collections.Concurrent;
using Berth.Images;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Distribution.Server;

/// <summary>
/// Blob uploads in progress. Each is an ingest of the content store ("upload-&lt;uuid&gt;"), hashed as it is written,
/// and a marker in its repository. The writer stays open between the requests of one upload (a chunked push
/// sends many), so each chunk is hashed once; after a restart the ingest is reopened where it stopped (its bytes
/// hashed again, once). Requests of one upload are served one at a time.
/// </summary>
public sealed class Uploads(RegistryStorage storage, RegistryMetrics? metrics = null) : IDisposable
{
    const int CopyBuffer = 1 << 17;

    sealed class Session(string repository, string uuid)
    {
        public string Repository { get; } = repository;
        public string Uuid { get; } = uuid;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ContentWriter? Writer { get; set; }
    }

    readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    const string IngestPrefix = "upload-";

    static string IngestReference(string uuid) => IngestPrefix + uuid;

    /// <summary>Uploads this server has open (those left by an earlier one count once resumed).</summary>
    public int InProgress => _sessions.Count;

    /// <summary>Starts an upload into <paramref name="repository"/>; its uuid names it in the upload URL.</summary>
    public string Start(string repository)
    {
        string uuid = Guid.NewGuid().ToString();
        RegistryStorage.WriteLink(storage.UploadMarker(repository, uuid), DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _sessions[uuid] = new Session(repository, uuid);
        return uuid;
    }

    /// <summary>Bytes received so far.</summary>
    public Task<long> OffsetAsync(string repository, string uuid, CancellationToken cancellationToken) =>
        WithAsync(repository, uuid, session => Task.FromResult(Writer(session).Offset), cancellationToken);

    /// <summary>
    /// Appends <paramref name="body"/>; with <paramref name="start"/> (from Content-Range) it must continue where the
    /// upload stands, else RANGE_INVALID and nothing is written. Returns the new offset.
    /// </summary>
    public Task<long> AppendAsync(string repository, string uuid, Stream body, long? start, long? length, CancellationToken cancellationToken) =>
        WithAsync(repository, uuid, async session =>
        {
            var writer = Writer(session);
            if (start is { } s && s != writer.Offset)
                throw new RegistryException(RegistryErrorCode.RangeInvalid, $"the upload stands at {writer.Offset} bytes, the chunk starts at {s}");
            long before = writer.Offset;
            await CopyAsync(body, writer, cancellationToken).ConfigureAwait(false);
            if (length is { } l && writer.Offset - before != l)
                throw new RegistryException(RegistryErrorCode.SizeInvalid, $"expected {l} bytes, received {writer.Offset - before}");
            return writer.Offset;
        }, cancellationToken);

    /// <summary>
    /// Appends the last bytes, verifies the whole upload against <paramref name="digest"/> and makes it a blob of the
    /// repository. A mismatch removes the upload (DIGEST_INVALID): nothing is kept.
    /// </summary>
    public Task CompleteAsync(string repository, string uuid, Stream body, Digest digest, CancellationToken cancellationToken) =>
        WithAsync(repository, uuid, async session =>
        {
            var writer = Writer(session);
            await CopyAsync(body, writer, cancellationToken).ConfigureAwait(false);
            try
            {
                writer.Commit(expected: digest);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.DataLoss)
            {
                Forget(session);
                throw new RegistryException(RegistryErrorCode.DigestInvalid, $"{digest}: {e.Message}");
            }
            storage.LinkBlob(repository, digest);
            Forget(session);
            return 0L;
        }, cancellationToken);

    /// <summary>Cancels the upload: its bytes and marker go.</summary>
    public Task CancelAsync(string repository, string uuid, CancellationToken cancellationToken) =>
        WithAsync(repository, uuid, session =>
        {
            Writer(session).Abort();
            Forget(session);
            return Task.FromResult(0L);
        }, cancellationToken);

    async Task<T> WithAsync<T>(string repository, string uuid, Func<Session, Task<T>> action, CancellationToken cancellationToken)
    {
        var session = Find(repository, uuid);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Ended by the request that held the gate before us.
            if (!_sessions.TryGetValue(uuid, out var current) || current != session)
                throw new RegistryException(RegistryErrorCode.BlobUploadUnknown, uuid);
            return await action(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RegistryException and not OperationCanceledException && session.Writer is { } writer)
        {
            // A failed write may leave the writer unusable: close it (keeping what was accepted) and reopen next time.
            session.Writer = null;
            writer.Dispose();
            throw;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    Session Find(string repository, string uuid)
    {
        if (_sessions.TryGetValue(uuid, out var session))
            return session.Repository == repository ? session : throw new RegistryException(RegistryErrorCode.BlobUploadUnknown, uuid);
        // Started before a restart: known by its marker.
        if (!Guid.TryParse(uuid, out _) || !File.Exists(storage.UploadMarker(repository, uuid)))
            throw new RegistryException(RegistryErrorCode.BlobUploadUnknown, uuid);
        return _sessions.GetOrAdd(uuid, _ => new Session(repository, uuid));
    }

    ContentWriter Writer(Session session)
    {
        if (session.Writer is null)
        {
            try
            {
                session.Writer = storage.Content.OpenWriter(IngestReference(session.Uuid))
                    ?? throw new InvalidOperationException("an upload's ingest has no expected digest, so it is never already present");
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict)
            {
                throw new RegistryException(RegistryErrorCode.BlobUploadInvalid, $"upload {session.Uuid} is being written by another request");
            }
        }
        return session.Writer;
    }

    void Forget(Session session)
    {
        _sessions.TryRemove(session.Uuid, out _);
        if (session.Writer is { } writer)
        {
            session.Writer = null;
            writer.Dispose();
        }
        RegistryStorage.DeleteFile(storage.UploadMarker(session.Repository, session.Uuid));
    }

    /// <summary>
    /// distribution's upload purging: an upload started and last written before <paramref name="cutoff"/> is
    /// abandoned, and its ingest and marker go (so does an upload ingest a crash left without its marker). An upload a
    /// request is serving right now is left for the next round. Returns how many went.
    /// </summary>
    public int Purge(DateTimeOffset cutoff)
    {
        var written = storage.Content.Ingests()
            .Where(i => i.Reference.StartsWith(IngestPrefix, StringComparison.Ordinal))
            .ToDictionary(i => i.Reference[IngestPrefix.Length..], i => i.UpdatedAt, StringComparer.Ordinal);
        int purged = 0;
        foreach (var (uuid, marker) in storage.UploadMarkers())
        {
            bool hasIngest = written.Remove(uuid, out var updated);
            if (File.GetLastWriteTimeUtc(marker) >= cutoff.UtcDateTime || (hasIngest && updated >= cutoff))
                continue;
            if (TryEnd(uuid, hasIngest))
            {
                RegistryStorage.DeleteFile(marker);
                purged++;
            }
        }
        foreach (var (uuid, updated) in written)
        {
            if (updated < cutoff && TryEnd(uuid, hasIngest: true))
                purged++;
        }
        return purged;
    }

    /// <summary>Ends an abandoned upload's session (unless a request holds it) and removes its ingest.</summary>
    bool TryEnd(string uuid, bool hasIngest)
    {
        if (_sessions.TryGetValue(uuid, out var session))
        {
            if (!session.Gate.Wait(0))
                return false;
            try
            {
                _sessions.TryRemove(uuid, out _);
                session.Writer?.Dispose();
                session.Writer = null;
            }
            finally
            {
                session.Gate.Release();
            }
        }
        if (!hasIngest)
            return true;
        try
        {
            storage.Content.AbortIngest(IngestReference(uuid));
            return true;
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound)
        {
            return true;
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.Conflict)
        {
            return false;
        }
    }

    /// <summary>Closes the open writers; the uploads stay, to be resumed by the next server over the same storage.</summary>
    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Gate.Wait();
            try
            {
                session.Writer?.Dispose();
                session.Writer = null;
            }
            finally
            {
                session.Gate.Release();
            }
        }
        _sessions.Clear();
    }

    async Task CopyAsync(Stream body, ContentWriter writer, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                metrics?.BlobReceived(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
