using System.Globalization;
using Berth.Http;
using Berth.Oci;

namespace Berth.Distribution.Server;

public sealed partial class RegistryServer
{
    static Digest ParseDigest(string text, RegistryErrorCode code)
    {
        if (!Digest.TryParse(text, out var digest, out string? error))
            throw new RegistryException(code, $"{text}: {error}");
        return digest;
    }

    /// <summary>GET and HEAD of a blob, whole or a range of it (206), as clients resume a download.</summary>
    async Task GetBlobAsync(HttpContext context)
    {
        string name = Repository(context, "pull");
        var digest = ParseDigest(context.RouteValue("digest"), RegistryErrorCode.DigestInvalid);
        if (Storage.BlobSize(name, digest) is null && _proxy is { } proxy)
        {
            try
            {
                await proxy.FetchBlobAsync(name, digest, context.Aborted).ConfigureAwait(false);
            }
            catch (Client.RegistryException e) when (e.Kind == Client.RegistryErrorKind.Unavailable)
            {
                throw new RegistryException(RegistryErrorCode.BlobUnknown, $"{digest}: not cached, and the remote registry cannot be reached: {e.Message}");
            }
        }
        if (Storage.BlobSize(name, digest) is not { } size)
            throw new RegistryException(RegistryErrorCode.BlobUnknown, digest.ToString());
        Stream blob;
        try
        {
            blob = Storage.Content.OpenReadForSending(digest);
        }
        catch (Images.StoreException e) when (e.Kind == Images.StoreErrorKind.NotFound)
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, digest.ToString());
        }
        await using (blob.ConfigureAwait(false))
        {
            var response = context.Response;
            response.SetHeader(ContentDigestHeader, digest.ToString());
            response.SetHeader("Accept-Ranges", "bytes");
            response.SetHeader("ETag", $"\"{digest}\"");
            response.SetHeader("Cache-Control", "max-age=31536000");
            long start = 0, length = size;
            if (context.Request.Headers["Range"] is { } range)
            {
                if (!TryParseRange(range, size, out start, out long end))
                {
                    response.SetHeader("Content-Range", $"bytes */{size}");
                    throw new RegistryException(RegistryErrorCode.RangeInvalid, range);
                }
                length = end - start + 1;
                blob.Seek(start, SeekOrigin.Begin);
                response.StatusCode = 206;
                response.SetHeader("Content-Range", $"bytes {start}-{end}/{size}");
            }
            await response.WriteStreamAsync(blob, length, "application/octet-stream", context.Aborted).ConfigureAwait(false);
            if (context.Request.Method != "HEAD")
                Metrics.BlobSent(length);
        }
    }

    /// <summary>One range of <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> within <paramref name="size"/>.</summary>
    internal static bool TryParseRange(string header, long size, out long start, out long end)
    {
        start = end = 0;
        var spec = header.AsSpan().Trim();
        if (!spec.StartsWith("bytes=") || spec.Contains(','))
            return false;
        spec = spec[6..];
        int dash = spec.IndexOf('-');
        if (dash < 0)
            return false;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long suffix) || suffix == 0 || size == 0)
                return false;
            start = Math.Max(0, size - suffix);
            end = size - 1;
            return true;
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start >= size)
            return false;
        if (last.IsEmpty)
        {
            end = size - 1;
            return true;
        }
        if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            return false;
        end = Math.Min(end, size - 1);
        return true;
    }

    Task DeleteBlobAsync(HttpContext context)
    {
        string name = Repository(context, "delete");
        RequireWritable(delete: true);
        var digest = ParseDigest(context.RouteValue("digest"), RegistryErrorCode.DigestInvalid);
        if (!Storage.UnlinkBlob(name, digest))
            throw new RegistryException(RegistryErrorCode.BlobUnknown, digest.ToString());
        return EmptyAsync(context, 202);
    }

    /// <summary>
    /// POST of an upload: with <c>mount</c> and <c>from</c>, a blob of another repository joins this one (201), or, when
    /// it has no such blob, an upload starts; with <c>digest</c>, the body is the whole blob (201); else an upload starts (202).
    /// </summary>
    async Task StartUploadAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        RequireWritable();
        var query = context.Request.Query;
        if (query.Get("mount") is { } mount)
        {
            var digest = ParseDigest(mount, RegistryErrorCode.DigestInvalid);
            if (query.Get("from") is { } from && MayMountFrom(context, from) && Storage.BlobSize(from, digest) is not null)
            {
                Storage.LinkBlob(name, digest);
                await BlobCreatedAsync(context, name, digest).ConfigureAwait(false);
                return;
            }
        }
        string uuid = Uploads.Start(name);
        if (query.Get("digest") is { } whole)
        {
            var digest = ParseDigest(whole, RegistryErrorCode.DigestInvalid);
            try
            {
                await Uploads.CompleteAsync(name, uuid, context.Request.Body, digest, context.Aborted).ConfigureAwait(false);
            }
            catch
            {
                await CancelQuietlyAsync(name, uuid).ConfigureAwait(false);
                throw;
            }
            await BlobCreatedAsync(context, name, digest).ConfigureAwait(false);
            return;
        }
        await UploadAcceptedAsync(context, name, uuid, 0, 202).ConfigureAwait(false);
    }

    /// <summary>A mount reads the source repository: the client needs pull access there too, or the upload starts instead.</summary>
    bool MayMountFrom(HttpContext context, string from)
    {
        try
        {
            RepositoryName.Validate(from);
        }
        catch (RegistryException)
        {
            return false;
        }
        return _options.Auth?.Check(context.Request, RegistryAccess.Repository(from, "pull")) is null;
    }

    async Task CancelQuietlyAsync(string name, string uuid)
    {
        try
        {
            await Uploads.CancelAsync(name, uuid, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            // ended already (a digest mismatch removes the upload itself)
        }
    }

    async Task UploadStatusAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        string uuid = context.RouteValue("uuid");
        long offset = await Uploads.OffsetAsync(name, uuid, context.Aborted).ConfigureAwait(false);
        await UploadAcceptedAsync(context, name, uuid, offset, 204).ConfigureAwait(false);
    }

    async Task PatchUploadAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        RequireWritable();
        string uuid = context.RouteValue("uuid");
        long? start = null, length = null;
        if (context.Request.Headers["Content-Range"] is { } range)
        {
            if (!TryParseContentRange(range, out long first, out long last))
                throw new RegistryException(RegistryErrorCode.RangeInvalid, range);
            start = first;
            length = last - first + 1;
            if (context.Request.ContentLength is { } declared && declared != length)
                throw new RegistryException(RegistryErrorCode.RangeInvalid, $"Content-Range {range} is {length} bytes, Content-Length {declared}");
        }
        long offset = await Uploads.AppendAsync(name, uuid, context.Request.Body, start, length, context.Aborted).ConfigureAwait(false);
        await UploadAcceptedAsync(context, name, uuid, offset, 202).ConfigureAwait(false);
    }

    /// <summary>A chunk's <c>Content-Range</c>: <c>a-b</c> as the spec writes it (a <c>bytes </c> or <c>bytes=</c> prefix tolerated).</summary>
    internal static bool TryParseContentRange(string header, out long first, out long last)
    {
        first = last = 0;
        var spec = header.AsSpan().Trim();
        if (spec.StartsWith("bytes"))
            spec = spec[5..].TrimStart(" =");
        int slash = spec.IndexOf('/');
        if (slash >= 0)
            spec = spec[..slash];
        int dash = spec.IndexOf('-');
        return dash > 0
            && long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && last >= first;
    }

    async Task CompleteUploadAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        RequireWritable();
        string uuid = context.RouteValue("uuid");
        if (context.Request.Query.Get("digest") is not { } text)
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "the digest query parameter is missing");
        var digest = ParseDigest(text, RegistryErrorCode.DigestInvalid);
        await Uploads.CompleteAsync(name, uuid, context.Request.Body, digest, context.Aborted).ConfigureAwait(false);
        await BlobCreatedAsync(context, name, digest).ConfigureAwait(false);
    }

    async Task CancelUploadAsync(HttpContext context)
    {
        string name = Repository(context, "pull", "push");
        RequireWritable();
        await Uploads.CancelAsync(name, context.RouteValue("uuid"), context.Aborted).ConfigureAwait(false);
        await EmptyAsync(context, 204).ConfigureAwait(false);
    }

    static Task BlobCreatedAsync(HttpContext context, string name, Digest digest)
    {
        context.Response.SetHeader("Location", $"/v2/{name}/blobs/{digest}");
        context.Response.SetHeader(ContentDigestHeader, digest.ToString());
        return EmptyAsync(context, 201);
    }

    static Task UploadAcceptedAsync(HttpContext context, string name, string uuid, long offset, int status)
    {
        context.Response.SetHeader("Location", $"/v2/{name}/blobs/uploads/{uuid}");
        context.Response.SetHeader("Docker-Upload-UUID", uuid);
        // distribution's form: the last byte received, 0-0 before the first.
        context.Response.SetHeader("Range", offset == 0 ? "0-0" : $"0-{offset - 1}");
        return EmptyAsync(context, status);
    }
}
