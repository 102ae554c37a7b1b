using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Berth.Http;

namespace Berth.Distribution.Server;

/// <summary>
/// The OCI distribution API (v1.1) over <see cref="RegistryStorage"/>: pull, push (monolithic, chunked, resumable),
/// cross-repository mounts, tags with pagination, the catalog, referrers and deletes, with the spec's error codes
/// and bodies. Serve it with <see cref="HandleAsync"/> as an <see cref="HttpServer"/>'s handler.
/// </summary>
public sealed partial class RegistryServer : IDisposable
{
    const string ApiVersionHeader = "Docker-Distribution-API-Version";
    const string ContentDigestHeader = "Docker-Content-Digest";

    static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly RegistryOptions _options;
    readonly Router _router;
    /// <summary>Manifest pushes and online garbage collection exclude each other: a collection never sees half a push.</summary>
    readonly ReaderWriterLockSlim _collection = new();
    readonly PullThroughCache? _proxy;

    public RegistryServer(RegistryStorage storage, RegistryOptions? options = null)
    {
        Storage = storage;
        _options = options ?? new RegistryOptions();
        Uploads = new Uploads(storage, Metrics);
        if (_options.ProxyRemote is { } remote)
            _proxy = new PullThroughCache(storage, remote, _options.ProxyCredentials);
        _router = new Router(versionPrefix: false, notFound: NotFoundAsync);
        Map(_router);
    }

    public RegistryStorage Storage { get; }

    public Uploads Uploads { get; }

    public RegistryMetrics Metrics { get; } = new();

    /// <summary>An online collection: pushes of manifests wait for it; uploads go on (see <see cref="RegistryGarbageCollector"/>).</summary>
    public RegistryGcResult CollectGarbage(TimeSpan grace, Action<string>? log = null)
    {
        _collection.EnterWriteLock();
        try
        {
            return RegistryGarbageCollector.Collect(Storage, grace, log);
        }
        finally
        {
            _collection.ExitWriteLock();
        }
    }

    /// <summary>Closes the uploads' open files (stop serving first); the uploads themselves stay to be resumed.</summary>
    public void Dispose()
    {
        Uploads.Dispose();
        _proxy?.Dispose();
        _collection.Dispose();
    }

    void Map(Router router)
    {
        if (_options.Auth is Auth.TokenAuth token)
            router.Map("GET", "/token", token.IssueAsync);
        router.Map("GET", "/health", HealthAsync);
        router.Map("GET", "/metrics", context => context.Response.WriteAsync(Metrics.Render(Uploads.InProgress), "text/plain; version=0.0.4; charset=utf-8"));
        router.Map("GET", "/v2/", BaseAsync);
        router.Map("GET", "/v2", BaseAsync);
        router.Map("GET", "/v2/_catalog", CatalogAsync);
        router.Map("GET", "/v2/{name*}/tags/list", TagsAsync);
        router.Map("GET", "/v2/{name*}/referrers/{digest}", ReferrersAsync);
        router.Map("GET", "/v2/{name*}/manifests/{reference}", GetManifestAsync);
        router.Map("PUT", "/v2/{name*}/manifests/{reference}", PutManifestAsync);
        router.Map("DELETE", "/v2/{name*}/manifests/{reference}", DeleteManifestAsync);
        router.Map("POST", "/v2/{name*}/blobs/uploads/", StartUploadAsync);
        router.Map("GET", "/v2/{name*}/blobs/uploads/{uuid}", UploadStatusAsync);
        router.Map("PATCH", "/v2/{name*}/blobs/uploads/{uuid}", PatchUploadAsync);
        router.Map("PUT", "/v2/{name*}/blobs/uploads/{uuid}", CompleteUploadAsync);
        router.Map("DELETE", "/v2/{name*}/blobs/uploads/{uuid}", CancelUploadAsync);
        router.Map("GET", "/v2/{name*}/blobs/{digest}", GetBlobAsync);
        router.Map("DELETE", "/v2/{name*}/blobs/{digest}", DeleteBlobAsync);
    }

    /// <summary>Serves one request: the API version header on every answer, refusals in the spec's error body.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        context.Response.SetHeader(ApiVersionHeader, "registry/2.0");
        try
        {
            await _router.DispatchAsync(context).ConfigureAwait(false);
        }
        catch (RegistryException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        finally
        {
            Metrics.Request(context.Request.Method, context.Response.StatusCode);
            _options.AccessLog?.Invoke($"{context.Request.Method} {context.Request.RawTarget} {context.Response.StatusCode} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1}ms");
        }
    }

    /// <summary>The repository of the path, checked against the grammar, after the request's access is checked.</summary>
    string Repository(HttpContext context, params string[] actions)
    {
        string name = context.RouteValue("name");
        RepositoryName.Validate(name);
        Authorize(context, RegistryAccess.Repository(name, actions));
        return name;
    }

    void Authorize(HttpContext context, RegistryAccess? access)
    {
        if (_options.Auth?.Check(context.Request, access) is not { } refusal)
            return;
        foreach (var header in refusal.Headers)
            context.Response.SetHeader(header.Key, header.Value);
        throw refusal.Error;
    }

    /// <summary>Writes refuse in read-only mode; deletes unless enabled.</summary>
    void RequireWritable(bool delete = false)
    {
        if (_options.ReadOnly)
            throw new RegistryException(RegistryErrorCode.Unsupported, "the registry is read-only");
        if (_proxy is not null)
            throw new RegistryException(RegistryErrorCode.Unsupported, "the registry is a pull-through cache");
        if (delete && !_options.DeleteEnabled)
            throw new RegistryException(RegistryErrorCode.Unsupported, "deletes are not enabled on this registry");
    }

    Task BaseAsync(HttpContext context)
    {
        Authorize(context, null);
        return WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        });
    }

    /// <summary>200 while the storage answers (its repositories directory can be listed), 503 otherwise.</summary>
    Task HealthAsync(HttpContext context)
    {
        try
        {
            _ = Directory.EnumerateFileSystemEntries(Path.Combine(Storage.Root, "repositories")).Any();
            return WriteJsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status"u8, "ok");
                w.WriteEndObject();
            });
        }
        catch (IOException e)
        {
            return WriteJsonAsync(context, 503, w =>
            {
                w.WriteStartObject();
                w.WriteString("status"u8, "unavailable");
                w.WriteString("storage"u8, e.Message);
                w.WriteEndObject();
            });
        }
    }

    static Task NotFoundAsync(HttpContext context) =>
        context.Response.WriteAsync("404 page not found\n", "text/plain; charset=utf-8");

    static Task WriteErrorAsync(HttpContext context, RegistryException e)
    {
        context.Response.RemoveHeader(ContentDigestHeader);
        return WriteJsonAsync(context, e.Code.Status, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("errors"u8);
            w.WriteStartObject();
            w.WriteString("code"u8, e.Code.Code);
            w.WriteString("message"u8, e.Code.Message);
            if (e.Detail is not null)
                w.WriteString("detail"u8, e.Detail);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, string contentType = "application/json; charset=utf-8")
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
            write(writer);
        buffer.Write("\n"u8);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(buffer.WrittenMemory, contentType, context.Aborted).ConfigureAwait(false);
    }

    /// <summary>An empty answer with a status (202, 201, 204) and the headers set.</summary>
    static Task EmptyAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(ReadOnlyMemory<byte>.Empty, null, context.Aborted);
    }

    /// <summary>Reads a small body whole (a manifest), refusing more than <paramref name="limit"/> bytes.</summary>
    static async Task<byte[]> ReadBodyAsync(HttpContext context, int limit, RegistryErrorCode tooBig)
    {
        if (context.Request.ContentLength > limit)
            throw new RegistryException(tooBig, $"more than {limit} bytes");
        using var body = new MemoryStream();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.Aborted).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                    throw new RegistryException(tooBig, $"more than {limit} bytes");
                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return body.ToArray();
    }
}
