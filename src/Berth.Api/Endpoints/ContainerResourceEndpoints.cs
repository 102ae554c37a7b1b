using Berth.Http;
using Berth.Engine;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary>A container's resources: its usage (<c>stats</c>, streamed or one sample) and its limits (<c>update</c>).</summary>
public static class ContainerResourceEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var containers = engine.Containers;
        router.Map("GET", "/containers/{id}/stats", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            var q = ctx.Request.Query;
            bool stream = q.GetBool("stream", true);
            await using var samples = containers.StatsAsync(container, stream, q.GetBool("one-shot"), ctx.Aborted).GetAsyncEnumerator();
            try
            {
                // The first sample before the head: a failure to read it is still an error answer.
                if (!await samples.MoveNextAsync())
                    return;
                // One JSON document per line, as Go's encoder writes them (HTML escaped), each sent when it is read.
                await using var body = await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
                do
                    await body.WriteAsync(DockerJson.SerializeLine(samples.Current, DockerJson.Default.ContainerStats), ctx.Aborted);
                while (await samples.MoveNextAsync());
            }
            catch (OperationCanceledException) when (ctx.Aborted.IsCancellationRequested)
            {
                // The client left.
            }
        });
        router.Map("POST", "/containers/{id}/update", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            // An empty body is an update of nothing, as dockerd takes it.
            var update = await Respond.ReadJsonAsync(ctx, DockerJson.Default.ContainerUpdateRequest, allowEmpty: true);
            Normalize(update, ApiVersion.Of(ctx.ApiVersion));
            var warnings = await containers.UpdateAsync(container, update, ctx.Aborted);
            await Respond.Json(ctx, new ContainerUpdateResponse { Warnings = warnings }, DockerJson.Default.ContainerUpdateResponse);
        });
    }

    /// <summary>dockerd's reading of an update by API version: pids limit from 1.40, kernel memory ignored from 1.42, 0 or less for unlimited.</summary>
    static void Normalize(ContainerUpdateRequest update, string version)
    {
        if (ApiVersion.LessThan(version, "1.40"))
            update.PidsLimit = null;
        if (!ApiVersion.LessThan(version, "1.42"))
            update.KernelMemory = 0;
        if (update.PidsLimit is <= 0)
            update.PidsLimit = 0;
    }
}
