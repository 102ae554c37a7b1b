using System.Buffers;
using System.Text.Json;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Build.Executor;
using Berth.Engine;
using Berth.Engine.Build;
using Berth.Http;
using Berth.Images.References;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>POST /build</c>, Docker's legacy builder API (<c>DOCKER_BUILDKIT=0 docker build</c>): the context as a tar
/// body, the options as query parameters, the progress as a JSON message stream (<c>stream</c> texts, an
/// <c>aux</c> with the image ID, an <c>errorDetail</c> with the failing step's exit code).
/// </summary>
public static class BuildEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        router.Map("POST", "/build", ctx => BuildAsync(ctx, engine));
        router.Map("POST", "/build/prune", ctx => PruneAsync(ctx, engine));
        router.Map("POST", "/berth/build/context", ctx => OfferContextAsync(ctx, engine));
        router.Map("POST", "/berth/build/secrets", ctx => SecretsAsync(ctx, engine));
    }

    /// <summary>
    /// Berth's own way for <c>berth build --secret</c> (not in Docker's API; the legacy build request has no place for
    /// secrets, and a daemon that answers 404 makes berth refuse <c>--secret</c>): a JSON object of the secrets' contents
    /// in base64 by id, kept in memory and answered with a session that the build names as <c>berthsecrets</c>.
    /// </summary>
    static async Task SecretsAsync(HttpContext ctx, BerthEngine engine)
    {
        // Base64 of the largest allowed set, and some room for the ids and the JSON around them.
        const long limit = (long)BuildSecrets.MaxSecrets * (BuildSecrets.MaxSecretSize / 3 * 4 + 1024);
        using var body = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.Aborted)) > 0)
        {
            if (body.Length + n > limit)
                throw new BadRequestException($"build secrets: the request is larger than {BuildSecrets.MaxSecrets} secrets of {BuildSecrets.MaxSecretSize / 1024}KB");
            body.Write(buffer, 0, n);
        }
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Length == 0)
                    throw new BadRequestException("secret missing ID");
                byte[] content = property.Value.GetBytesFromBase64();
                if (content.Length > BuildSecrets.MaxSecretSize)
                    throw new BadRequestException($"secret {property.Name} too big. max size 500KB");
                secrets[property.Name] = content;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new BadRequestException($"build secrets: {e.Message}");
        }
        finally
        {
            // The request's copy of the secrets goes now; the kept one when its build is done.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body.GetBuffer());
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
        if (secrets.Count > BuildSecrets.MaxSecrets)
            throw new BadRequestException($"build secrets: more than {BuildSecrets.MaxSecrets} secrets");
        string session = engine.Builds.Secrets.Add(secrets);
        await Respond.Text(ctx, $"{{\"Session\":\"{session}\"}}\n", "application/json");
    }

    /// <summary>
    /// Berth's own first half of a build (not in Docker's API; <c>berth build</c> falls back to a whole context when
    /// a daemon answers 404): the manifest of the client's context directory, kept under the client's <c>key</c>,
    /// answered with the files to send. The build that follows names the answer's session as <c>berthcontext</c>.
    /// </summary>
    static async Task OfferContextAsync(HttpContext ctx, BerthEngine engine)
    {
        if (ctx.Request.Query.Get("key") is not { Length: > 0 and <= 256 } key)
            throw new BadRequestException("key: a key of 1 to 256 characters naming the client's context directory is required");
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.Aborted);
        body.Position = 0;
        ContextManifest manifest;
        try
        {
            manifest = ContextManifest.Read(body);
        }
        catch (BuildContextException e)
        {
            throw new BadRequestException(e.Message);
        }
        var offer = engine.Builds.OfferContext(key, manifest);
        await Respond.Text(ctx, System.Text.Encoding.UTF8.GetString(offer.ToJson()), "application/json");
    }

    static async Task BuildAsync(HttpContext ctx, BerthEngine engine)
    {
        var q = ctx.Request.Query;
        if (q.Get("remote") is { Length: > 0 } remote)
            throw new BadRequestException($"remote build contexts are not supported: {remote}");
        if (q.Get("version") == "2")
            throw new BadRequestException("BuildKit is not supported by this daemon: build with DOCKER_BUILDKIT=0 (the legacy builder API)");
        var options = new BuildOptions
        {
            Tags = [.. q.GetAll("t").Select(Tag)],
            BuildArgs = JsonMap(q.Get("buildargs"), "buildargs"),
            Labels = JsonMap(q.Get("labels"), "labels").ToDictionary(l => l.Key, l => l.Value ?? ""),
            Target = q.Get("target") is { Length: > 0 } target ? target : null,
            NoCache = q.GetBool("nocache"),
            Pull = q.GetBool("pull"),
            NetworkMode = q.Get("networkmode") is { Length: > 0 } network ? network : null,
            Platform = q.Get("platform") is { Length: > 0 } platform ? platform : null,
            Quiet = q.GetBool("q"),
            CacheFrom = JsonList(q.Get("cachefrom"), "cachefrom"),
            Secrets = q.Get("berthsecrets") is { Length: > 0 } secrets
                ? engine.Builds.Secrets.Take(secrets) ?? throw new BadRequestException($"build secrets: session {secrets} is unknown or expired")
                : new Dictionary<string, byte[]>(),
        };
        string dockerfile = q.Get("dockerfile") is { Length: > 0 } name ? name : "Dockerfile";
        var response = new BuildResponse(ctx);
        try
        {
            string? session = q.Get("berthcontext") is { Length: > 0 } given ? given : null;
            var credentials = Berth.Distribution.Client.AuthConfigs.MapFromHeader(ctx.Request.Headers.Get("X-Registry-Config"));
            await engine.Builds.BuildAsync(ctx.Request.Body, dockerfile, options, response, ctx.Aborted, session, credentials);
        }
        catch (Exception e) when (response.Started && !ctx.Aborted.IsCancellationRequested)
        {
            // Once the stream has begun, every failure is its last message, as dockerd's.
            await response.ErrorAsync(e is BuildException b ? b.Code : 1, e.Message);
            return;
        }
        catch (Exception e) when (e is BuildException or DockerfileException)
        {
            throw new BadRequestException(e.Message);
        }
        await response.EndAsync();
    }

    /// <summary>
    /// <c>docker builder prune</c>: <c>all</c> and <c>keep-storage</c> change nothing here (the cache keeps no layers of
    /// its own: its entries name images); the <c>until</c> filter keeps what is newer.
    /// </summary>
    static async Task PruneAsync(HttpContext ctx, BerthEngine engine)
    {
        var filters = Filters.Parse(ctx.Request.Query.Get("filters"), ["until"]);
        DateTimeOffset? until = filters.Get("until") is { Count: > 0 } values ? Berth.Engine.Containers.ContainerService.ParseUntil(values[0]) : null;
        long reclaimed = engine.Builds.PruneCache(until);
        await Respond.Text(ctx, $"{{\"CachesDeleted\":null,\"SpaceReclaimed\":{reclaimed}}}\n", "application/json");
    }

    static Reference Tag(string text)
    {
        if (!Reference.TryParseNormalized(text, out var reference, out string? error))
            throw new BadRequestException(error ?? $"invalid reference format: {text}");
        if (reference.Digest is not null)
            throw new BadRequestException($"invalid reference format: {text}");
        return reference.WithDefaultTag();
    }

    /// <summary>A JSON object of strings (a null value allowed) from a query parameter, as dockerd decodes buildargs and labels.</summary>
    static Dictionary<string, string?> JsonMap(string? text, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
            return map;
        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var property in document.RootElement.EnumerateObject())
                map[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
            return map;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new BadRequestException($"error reading {name}: {e.Message}");
        }
    }

    static List<string> JsonList(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
            return [];
        try
        {
            using var document = JsonDocument.Parse(text);
            return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "")];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new BadRequestException($"error reading {name}: {e.Message}");
        }
    }

    /// <summary>
    /// The build's message stream, started by its first message (dockerd's lazy writer), so that an error before
    /// any output (a Dockerfile that does not parse, a context without one) is an HTTP error.
    /// </summary>
    sealed class BuildResponse(HttpContext ctx) : IBuildOutput
    {
        readonly SemaphoreSlim _lock = new(1, 1);
        Stream? _body;

        public bool Started => _body is not null;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> text, CancellationToken ct)
            => await WriteMessageAsync(w => w.WriteString("stream", System.Text.Encoding.UTF8.GetString(text.Span)), ct);

        public async ValueTask ImageIdAsync(string id, CancellationToken ct)
            => await WriteMessageAsync(w =>
            {
                w.WriteStartObject("aux");
                w.WriteString("ID", id);
                w.WriteEndObject();
            }, ct);

        public async Task ErrorAsync(int code, string message)
        {
            await WriteMessageAsync(w =>
            {
                w.WriteStartObject("errorDetail");
                w.WriteNumber("code", code);
                w.WriteString("message", message);
                w.WriteEndObject();
                w.WriteString("error", message);
            }, CancellationToken.None);
            await EndAsync();
        }

        public async Task EndAsync()
        {
            if (_body is not null)
                await _body.DisposeAsync();
        }

        async Task WriteMessageAsync(Action<Utf8JsonWriter> write, CancellationToken ct)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
            buffer.Write("\r\n"u8);
            await _lock.WaitAsync(ct);
            try
            {
                _body ??= await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
                await _body.WriteAsync(buffer.WrittenMemory, ct);
                await _body.FlushAsync(ct);
            }
            finally
            {
                _lock.Release();
            }
        }
    }
}
