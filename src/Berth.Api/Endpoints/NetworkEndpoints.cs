using Berth.Http;
using Berth.Engine;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary>Networks over the API: list, inspect, create, remove, prune, connect and disconnect.</summary>
public static class NetworkEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var networks = engine.Networks;
        router.Map("GET", "/networks", async ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), ["dangling", "driver", "id", "label", "name", "scope", "type"]);
            await Respond.Json(ctx, [.. networks.List(filters)], DockerJson.Default.ListNetwork);
        });
        router.Map("GET", "/networks/{id}", async ctx =>
            await Respond.Json(ctx, networks.Inspect(ctx.RouteValues["id"]), DockerJson.Default.Network));
        router.Map("POST", "/networks/create", async ctx =>
        {
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.NetworkCreateRequest);
            await Respond.Json(ctx, networks.Create(request), DockerJson.Default.NetworkCreateResponse, 201);
        });
        router.Map("DELETE", "/networks/{id}", async ctx =>
        {
            networks.Remove(ctx.RouteValues["id"]);
            await Respond.NoContent(ctx);
        });
        router.Map("POST", "/networks/prune", async ctx =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"), ["label", "label!", "until"]);
            await Respond.Json(ctx, networks.Prune(filters), DockerJson.Default.NetworkPruneResponse);
        });
        router.Map("POST", "/networks/{id}/connect", async ctx =>
        {
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.NetworkConnectRequest);
            var container = engine.Containers.Store.Get(request.Container);
            await engine.Containers.ConnectAsync(container, ctx.RouteValues["id"], request.EndpointConfig, ctx.Aborted);
            await Respond.NoContent(ctx, 200);
        });
        router.Map("POST", "/networks/{id}/disconnect", async ctx =>
        {
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.NetworkDisconnectRequest);
            var container = engine.Containers.Store.Get(request.Container);
            await engine.Containers.DisconnectAsync(container, ctx.RouteValues["id"], request.Force, ctx.Aborted);
            await Respond.NoContent(ctx, 200);
        });
    }
}
