using System.Globalization;
using Berth.Oci;

namespace Berth.Images.Content;

public sealed partial class FileContentStore
{
    public ContentWriter? OpenWriter(string reference, Digest? expected = null, long expectedSize = -1)
    {
        IngestFiles.ValidateReference(reference);
        if (expectedSize < -1)
            throw StoreException.Invalid($"ingest {reference}: invalid expected size {expectedSize}");
        if (expected is { } wanted && Info(wanted) is not null)
            return null;

        string name = IngestFiles.Name(reference);
        string dir = Path.Combine(_ingest, name);
        var handle = IngestFiles.TryLock(dir, Path.Combine(RealRoot, "ingest", name), create: true, out _)
            ?? throw StoreException.Conflict($"ingest {reference}: being written by another writer");
        try
        {
            // What an earlier writer of this ingest recorded; a resumed ingest keeps its expectation.
            var (storedDigest, storedSize) = IngestFiles.ReadExpected(dir);
            if (expected is { } e && storedDigest is { } s && e != s)
                throw StoreException.Conflict($"ingest {reference}: started for {s}, not {e}; abort it first");
            if (expectedSize >= 0 && storedSize >= 0 && expectedSize != storedSize)
                throw StoreException.Conflict($"ingest {reference}: started for {storedSize} bytes, not {expectedSize}; abort it first");
            var digest = expected ?? storedDigest;
            long size = expectedSize >= 0 ? expectedSize : storedSize;

            if (IngestFiles.ReadReference(dir) is null)
                IngestFiles.WriteSmall(dir, IngestFiles.Ref, reference);
            if (IngestFiles.ReadStarted(dir) is null)
                IngestFiles.WriteSmall(dir, IngestFiles.Started, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            if (digest != storedDigest || size != storedSize)
                IngestFiles.WriteSmall(dir, IngestFiles.Expected, IngestFiles.FormatExpected(digest, size));
            return new FileContentWriter(this, reference, dir, handle, digest, size);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public IEnumerable<IngestStatus> Ingests()
    {
        foreach (string dir in Directory.EnumerateDirectories(_ingest))
        {
            if (ReadStatus(dir) is { } status)
                yield return status;
        }
    }

    public void AbortIngest(string reference)
    {
        IngestFiles.ValidateReference(reference);
        string name = IngestFiles.Name(reference);
        string dir = Path.Combine(_ingest, name);
        if (!Directory.Exists(dir))
            throw StoreException.NotFound($"ingest {reference}: not found");
        using var handle = IngestFiles.TryLock(dir, Path.Combine(RealRoot, "ingest", name), create: false, out bool busy);
        if (busy)
            throw StoreException.Conflict($"ingest {reference}: being written by another writer");
        Discard(dir);
    }

    /// <summary>
    /// Removes what interrupted work left: ingests untouched since <paramref name="before"/> that
    /// <paramref name="keep"/> (given the reference) does not claim, directories in ingest/ that a crash left
    /// without a reference, and everything in tmp/ — except what a live writer holds locked.
    /// Garbage collection calls it after its sweep.
    /// </summary>
    public IngestCleanup RemoveLeftovers(DateTimeOffset before, Func<string, bool> keep)
    {
        var removed = new List<string>();
        long bytes = 0;
        foreach (string dir in Directory.EnumerateDirectories(_ingest))
        {
            var status = ReadStatus(dir);
            var touched = status?.UpdatedAt ?? Directory.GetLastWriteTimeUtc(dir);
            if (touched >= before || (status is not null && keep(status.Reference)))
                continue;
            string name = Path.GetFileName(dir);
            using var handle = IngestFiles.TryLock(dir, Path.Combine(RealRoot, "ingest", name), create: false, out bool busy);
            if (busy)
                continue;
            Discard(dir);
            removed.Add(status?.Reference ?? name);
            bytes += status?.Offset ?? 0;
        }
        foreach (string entry in Directory.EnumerateFileSystemEntries(_tmp))
        {
            // A committing or aborting writer renames its ingest here while it still holds the lock.
            string name = Path.GetFileName(entry);
            using var handle = IngestFiles.TryLock(entry, Path.Combine(RealRoot, "tmp", name), create: false, out bool busy);
            if (busy)
                continue;
            if (Directory.Exists(entry))
                IngestFiles.DeleteTree(entry);
            else
                File.Delete(entry);
        }
        return new IngestCleanup(removed, bytes);
    }

    IngestStatus? ReadStatus(string dir)
    {
        if (IngestFiles.ReadReference(dir) is not { } reference)
            return null;
        var data = new FileInfo(Path.Combine(dir, IngestFiles.Data));
        bool exists = data.Exists;
        DateTimeOffset updated = exists ? data.LastWriteTimeUtc : Directory.GetLastWriteTimeUtc(dir);
        var (expected, size) = IngestFiles.ReadExpected(dir);
        return new IngestStatus(reference, exists ? data.Length : 0, expected, size, IngestFiles.ReadStarted(dir) ?? updated, updated);
    }

    /// <summary>Takes an ingest out of ingest/ in one rename (the caller holds its lock or it has no data), then deletes it.</summary>
    internal void Discard(string dir) => IngestFiles.DeleteTree(MoveToTmp(dir) ?? dir);

    /// <summary>Renames an ingest directory into tmp/ under a unique name; null if it was gone already.</summary>
    internal string? MoveToTmp(string dir)
    {
        string target = Path.Combine(_tmp, $"{Path.GetFileName(dir)}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(dir, target);
            return target;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>What <see cref="FileContentStore.RemoveLeftovers"/> removed: ingest references (or directory names of nameless debris) and their bytes.</summary>
public sealed record IngestCleanup(IReadOnlyList<string> Removed, long Bytes);
