using System.Text;
using System.Text.Json;
using Berth.Build.Dockerfile;
using Berth.Http;
using Berth.Api.Views;
using Berth.Engine;
using Berth.Engine.Model;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;

namespace Berth.Api.Endpoints;

/// <summary>Images over the API: list, inspect, history, tag, remove, prune, save (get), load, import, commit.</summary>
public static class ImageEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var images = engine.Images;
        router.Map("GET", "/images/json", ctx =>
        {
            var q = ctx.Request.Query;
            var filters = Filters.Parse(q.Get("filters"), ["dangling", "label", "label!", "reference", "before", "since", "until"]);
            var list = ImageViews.List(engine, q.GetBool("all"), filters);
            return Respond.Json(ctx, list, DockerJson.Default.ListImageSummary);
        });
        router.Map("GET", "/images/get", ctx => SaveAsync(ctx, engine, ctx.Request.Query.GetAll("names")));
        router.Map("GET", "/images/{name*}/get", ctx => SaveAsync(ctx, engine, [ctx.RouteValues["name"]]));
        router.Map("GET", "/images/{name*}/json", ctx =>
        {
            var image = images.Get(ctx.RouteValues["name"]);
            return Respond.Json(ctx, ImageViews.Inspect(engine, image), DockerJson.Default.ImageInspectResponse);
        });
        router.Map("GET", "/images/{name*}/history", ctx =>
        {
            var image = images.Get(ctx.RouteValues["name"]);
            var history = images.History(image).Select(h => new ImageHistoryItem
            {
                Id = h.Id,
                Created = h.Created.ToUnixTimeSeconds(),
                CreatedBy = h.CreatedBy,
                Tags = h.Tags.Count == 0 ? null : [.. h.Tags],
                Size = h.Size,
                Comment = h.Comment,
            }).ToList();
            return Respond.Json(ctx, history, DockerJson.Default.ListImageHistoryItem);
        });
        router.Map("POST", "/images/{name*}/tag", async ctx =>
        {
            string source = ctx.RouteValues["name"];
            string repo = ctx.Request.Query.Get("repo") ?? "";
            string tag = ctx.Request.Query.Get("tag") ?? "";
            if (repo.Length == 0)
                throw new BadRequestException("repository name must have at least one component");
            string target = tag.Length == 0 ? repo : repo + ":" + tag;
            var image = images.Get(source);
            images.Tag(image.Id.ToString(), target);
            engine.Events.Publish("image", "tag", image.Id.ToString(), new Dictionary<string, string> { ["name"] = Reference.ParseNormalized(target).WithDefaultTag().FamiliarString });
            await Respond.NoContent(ctx, 201);
        });
        router.Map("DELETE", "/images/{name*}", ctx =>
        {
            string name = ctx.RouteValues["name"];
            var q = ctx.Request.Query;
            var deleted = images.Remove(name, new RemoveOptions { Force = q.GetBool("force"), NoPrune = q.GetBool("noprune"), Users = id => UsersOf(engine, id) });
            foreach (var item in deleted)
            {
                if (item.Untagged is not null)
                    engine.Events.Publish("image", "untag", item.Untagged, new Dictionary<string, string> { ["name"] = item.Untagged });
                if (item.Deleted is not null)
                    engine.Events.Publish("image", "delete", item.Deleted, new Dictionary<string, string> { ["name"] = item.Deleted });
            }
            var body = deleted.Select(d => new ImageDeleteResponseItem { Untagged = d.Untagged, Deleted = d.Deleted }).ToList();
            return Respond.Json(ctx, body, DockerJson.Default.ListImageDeleteResponseItem);
        });
        router.Map("POST", "/images/prune", ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), ["dangling", "label", "label!", "until"]);
            bool all = filters.Get("dangling").Any(v => v is "false" or "0");
            var result = images.Prune(all, id => UsersOf(engine, id));
            var body = new ImagePruneResponse
            {
                ImagesDeleted = result.Deleted.Count == 0 ? null : [.. result.Deleted.Select(d => new ImageDeleteResponseItem { Untagged = d.Untagged, Deleted = d.Deleted })],
                SpaceReclaimed = (ulong)Math.Max(0, result.SpaceReclaimed),
            };
            engine.Events.Publish("image", "prune", "", new Dictionary<string, string> { ["reclaimed"] = result.SpaceReclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return Respond.Json(ctx, body, DockerJson.Default.ImagePruneResponse);
        });
        router.Map("POST", "/images/load", ctx => LoadAsync(ctx, engine));
        router.Map("POST", "/images/create", ctx => CreateAsync(ctx, engine));
        router.Map("POST", "/commit", ctx => CommitAsync(ctx, engine));
    }

    /// <summary>The containers using an image, for rmi's conflict rules.</summary>
    static IReadOnlyList<ImageUser> UsersOf(BerthEngine engine, Digest id)
    {
        string text = id.ToString();
        return [.. engine.Containers.Store.All().Where(c => c.Record.ImageId == text).Select(c => new ImageUser(c.Id, c.Record.State.Running))];
    }

    static async Task SaveAsync(HttpContext ctx, BerthEngine engine, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            throw new BadRequestException("no image names given");
        foreach (string name in names)
            engine.Images.Get(name);
        await using var body = await ctx.Response.StartStreamAsync("application/x-tar", ctx.Aborted);
        engine.Images.Save(names, body);
        foreach (string name in names)
            engine.Events.Publish("image", "save", engine.Images.Get(name).Id.ToString(), new Dictionary<string, string> { ["name"] = name });
    }

    /// <summary><c>docker load</c>: the archive from the body; progress as Docker's JSON message stream.</summary>
    static async Task LoadAsync(HttpContext ctx, BerthEngine engine)
    {
        IReadOnlyList<LoadedImageResult> loaded;
        var body = await BufferedBodyAsync(ctx);
        await using (body)
            loaded = engine.Images.Load(body);
        await using var output = await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
        foreach (var result in loaded)
        {
            engine.Events.Publish("image", "load", result.Image.Id.ToString(), new Dictionary<string, string> { ["name"] = result.Tags.FirstOrDefault() ?? result.Image.Id.ToString() });
            foreach (string message in result.Messages)
                await WriteStreamMessageAsync(output, message + "\n", ctx.Aborted);
        }
    }

    /// <summary>
    /// <c>POST /images/create</c>: <c>fromSrc</c> imports a root file system (docker import); <c>fromImage</c>
    /// pulls (<see cref="RegistryEndpoints.PullAsync"/>).
    /// </summary>
    static async Task CreateAsync(HttpContext ctx, BerthEngine engine)
    {
        var q = ctx.Request.Query;
        string? fromSrc = q.Get("fromSrc");
        if (fromSrc is null)
        {
            string from = q.Get("fromImage") ?? "";
            if (from.Length == 0)
                throw new BadRequestException("fromImage or fromSrc is required");
            await RegistryEndpoints.PullAsync(ctx, engine, from);
            return;
        }
        if (fromSrc != "-")
            throw new BadRequestException($"import from a URL is not supported offline: {fromSrc}");
        string repo = q.Get("repo") ?? "";
        string tag = q.Get("tag") ?? "";
        var names = new List<Reference>();
        if (repo.Length > 0)
        {
            if (!Reference.TryParseNormalized(tag.Length > 0 ? repo + ":" + tag : repo, out var reference, out string? error))
                throw new BadRequestException(error ?? $"invalid reference format: {repo}");
            names.Add(reference.WithDefaultTag());
        }
        var changes = q.GetAll("changes");
        Image image;
        var body = await BufferedBodyAsync(ctx);
        await using (body)
            image = engine.Images.Import(body, new ImportOptions { Config = ConfigChanges.Apply(null, changes), Message = q.Get("message"), Names = names });
        engine.Events.Publish("image", "import", image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.Id.ToString() });
        await using var output = await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
        await WriteStatusAsync(output, image.Id.ToString(), ctx.Aborted);
    }

    /// <summary><c>docker commit</c>: the container's changes as a new image; its config from the body, with --change applied.</summary>
    static async Task CommitAsync(HttpContext ctx, BerthEngine engine)
    {
        var q = ctx.Request.Query;
        var container = engine.Containers.Store.Get(q.Get("container") ?? "");
        var config = await Respond.ReadJsonAsync(ctx, DockerJson.Default.ContainerConfig, allowEmpty: true);
        var image = engine.Containers.Commit(container, config, q.Get("repo"), q.Get("tag"), q.Get("comment"), q.Get("author"), q.GetAll("changes"), q.Get("pause") is null || q.GetBool("pause"));
        await Respond.Json(ctx, new IdResponse { Id = image.Id.ToString() }, DockerJson.Default.IdResponse, 201);
    }

    /// <summary>The request body as a stream the image store can read synchronously (a file in the data root: archives may be large).</summary>
    static async Task<Stream> BufferedBodyAsync(HttpContext ctx)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await ctx.Request.Body.CopyToAsync(file, ctx.Aborted);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    static async Task WriteStreamMessageAsync(Stream output, string text, CancellationToken ct)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("stream", text);
            writer.WriteEndObject();
        }
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.WriteAsync("\r\n"u8.ToArray(), ct);
    }

    static async Task WriteStatusAsync(Stream output, string status, CancellationToken ct)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes($"{{\"status\":\"{status}\"}}\r\n"), ct);
    }
}
