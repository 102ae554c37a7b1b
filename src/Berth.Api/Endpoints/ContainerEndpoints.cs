using System.Globalization;
using Berth.Http;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary>Containers' lives over the API: create, start, stop, restart, kill, pause, rename, remove, prune.</summary>
public static class ContainerEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var containers = engine.Containers;
        router.Map("POST", "/containers/create", async ctx =>
        {
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.ContainerCreateRequest);
            string? name = ctx.Request.Query.Get("name");
            var (container, warnings) = containers.Create(request, string.IsNullOrEmpty(name) ? null : name);
            await Respond.Json(ctx, new ContainerCreateResponse { Id = container.Id, Warnings = warnings }, DockerJson.Default.ContainerCreateResponse, 201);
        });
        router.Map("POST", "/containers/{id}/start", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            try
            {
                await containers.StartAsync(container, ctx.Aborted);
            }
            catch (EngineException e) when (e.Kind == EngineErrorKind.NotModified)
            {
                await Respond.NoContent(ctx, 304);
                return;
            }
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/stop", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            try
            {
                await containers.StopAsync(container, ctx.Request.Query.Get("signal"), Timeout(ctx), ctx.Aborted);
            }
            catch (EngineException e) when (e.Kind == EngineErrorKind.NotModified)
            {
                await Respond.NoContent(ctx, 304);
                return;
            }
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/restart", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            await containers.RestartAsync(container, ctx.Request.Query.Get("signal"), Timeout(ctx), ctx.Aborted);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/kill", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            await containers.KillAsync(container, ctx.Request.Query.Get("signal"), ctx.Aborted);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/pause", async ctx =>
        {
            await containers.PauseAsync(containers.Store.Get(ctx.RouteValues["id"]), ctx.Aborted);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/unpause", async ctx =>
        {
            await containers.UnpauseAsync(containers.Store.Get(ctx.RouteValues["id"]), ctx.Aborted);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/{id}/rename", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            string name = ctx.Request.Query.Get("name") ?? "";
            containers.Rename(container, name);
            await Respond.NoContent(ctx);
        });
        router.Map("DELETE", "/containers/{id}", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            await containers.RemoveAsync(container, ctx.Request.Query.GetBool("force"), ctx.Request.Query.GetBool("v"), ctx.Aborted);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/containers/prune", async ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), ["label", "label!", "until"]);
            var (deleted, reclaimed) = await containers.PruneAsync(filters, ctx.Aborted);
            await Respond.Json(ctx, new ContainerPruneResponse { ContainersDeleted = deleted, SpaceReclaimed = (ulong)Math.Max(0, reclaimed) }, DockerJson.Default.ContainerPruneResponse);
        });
    }

    /// <summary>The stop timeout in seconds (<c>t</c>, or <c>timeout</c> as some clients send it).</summary>
    static int? Timeout(HttpContext ctx)
    {
        string? t = ctx.Request.Query.Get("t") ?? ctx.Request.Query.Get("timeout");
        if (string.IsNullOrEmpty(t))
            return null;
        return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds)
            ? seconds
            : throw new BadRequestException($"invalid value for t: {t}");
    }
}
