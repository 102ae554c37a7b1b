using System.Buffers;
using Berth.Images;
using Berth.Images.Content;
using Berth.Images.Metadata;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>
/// Fetches one blob into the content store under a pull's lease: resumed from what an earlier, interrupted
/// pull left in its ingest (a Range request from <see cref="ContentWriter.Offset"/>), hashed while written,
/// committed only when size and digest match. A mismatch removes the ingest and fails with DataLoss.
/// </summary>
internal static class BlobFetcher
{
    const int BufferSize = 1 << 16;

    /// <summary>Reports "Downloading" at most this often (bytes), as Docker's progress reader throttles.</summary>
    const long ReportEvery = 512 << 10;

    /// <returns>False when the store had the blob already (nothing fetched).</returns>
    public static async Task<bool> FetchAsync(RepositorySession session, IContentStore content, LeaseHandle lease, Descriptor blob, Action<long>? progress, CancellationToken ct)
    {
        string reference = $"pull-{blob.Digest.Algorithm}-{blob.Digest.Encoded}";
        var writer = await OpenAsync(content, lease, reference, blob, ct).ConfigureAwait(false);
        if (writer is null)
            return false;
        try
        {
            var (response, partial) = await session.GetBlobAsync(blob.Digest, writer.Offset, ct).ConfigureAwait(false);
            using (response)
            {
                if (writer.Offset > 0 && !partial)
                {
                    // The registry sent the whole blob: start the ingest over.
                    writer.Abort();
                    writer.Dispose();
                    writer = lease.OpenWriter(content, reference, blob.Digest, blob.Size)!;
                }
                await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                try
                {
                    await CopyAsync(body, writer, blob.Size, progress, ct).ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.Kind == RegistryErrorKind.DataLoss)
                {
                    writer.Abort(); // nothing of it is worth resuming
                    throw;
                }
            }
            progress?.Invoke(-1); // verifying
            try
            {
                writer.Commit(blob.Size, blob.Digest);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.DataLoss)
            {
                throw new RegistryException(RegistryErrorKind.DataLoss, $"filesystem layer verification failed for digest {blob.Digest}", e);
            }
            return true;
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>
    /// The blob's ingest; null when the blob is there. Another pull fetching the same blob holds its ingest: then
    /// this one waits for that one to finish (and finds the blob) or to give up (and takes the ingest over), as
    /// dockerd's download manager lets concurrent pulls share a layer.
    /// </summary>
    static async Task<ContentWriter?> OpenAsync(IContentStore content, LeaseHandle lease, string reference, Descriptor blob, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return lease.OpenWriter(content, reference, blob.Digest, blob.Size);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && e.Message.Contains("another writer", StringComparison.Ordinal))
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
    }

    static async Task CopyAsync(Stream body, ContentWriter writer, long size, Action<long>? progress, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long reported = writer.Offset;
            progress?.Invoke(writer.Offset);
            while (true)
            {
                int n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false);
                if (n == 0)
                    break;
                if (size >= 0 && writer.Offset + n > size)
                    throw new RegistryException(RegistryErrorKind.DataLoss, $"blob is larger than its descriptor's {size} bytes");
                await writer.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                if (writer.Offset - reported >= ReportEvery || writer.Offset == size)
                {
                    reported = writer.Offset;
                    progress?.Invoke(reported);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
