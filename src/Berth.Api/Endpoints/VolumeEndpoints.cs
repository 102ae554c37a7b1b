using Berth.Http;
using Berth.Engine;
using Berth.Engine.Model;
using Berth.Engine.Volumes;

namespace Berth.Api.Endpoints;

/// <summary>Volumes over the API: list, create, inspect, remove, prune (local driver only).</summary>
public static class VolumeEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var volumes = engine.Volumes;
        router.Map("GET", "/volumes", ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), VolumeService.ListFilters);
            var list = volumes.List(filters).Select(v => VolumeViews.Of(volumes.Store, v)).ToList();
            return Respond.Json(ctx, new VolumeListResponse { Volumes = list, Warnings = null }, DockerJson.Default.VolumeListResponse);
        });
        router.Map("POST", "/volumes/create", async ctx =>
        {
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.VolumeCreateRequest, allowEmpty: true);
            var volume = volumes.Create(request.Name, request.Driver, request.DriverOpts, request.Labels);
            await Respond.Json(ctx, VolumeViews.Of(volumes.Store, volume), DockerJson.Default.Volume, 201);
        });
        router.Map("POST", "/volumes/prune", ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), VolumeService.PruneFilters);
            // API 1.42 made prune leave named volumes unless all=true.
            bool anonymousOnly = !ApiVersion.LessThan(ApiVersion.Of(ctx.ApiVersion), "1.42") && !VolumeService.PruneAll(filters);
            var (deleted, reclaimed) = volumes.Prune(filters, anonymousOnly);
            var body = new VolumePruneResponse { VolumesDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = (ulong)reclaimed };
            return Respond.Json(ctx, body, DockerJson.Default.VolumePruneResponse);
        });
        router.Map("GET", "/volumes/{name}", ctx =>
        {
            var volume = volumes.Get(ctx.RouteValues["name"]);
            return Respond.Json(ctx, VolumeViews.Of(volumes.Store, volume), DockerJson.Default.Volume);
        });
        router.Map("DELETE", "/volumes/{name}", ctx =>
        {
            volumes.Remove(ctx.RouteValues["name"], ctx.Request.Query.GetBool("force"));
            return Respond.NoContent(ctx);
        });
    }
}
