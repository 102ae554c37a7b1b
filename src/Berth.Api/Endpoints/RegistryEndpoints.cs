using Berth.Distribution.Client;
using Berth.Engine;
using Berth.Engine.Model;
using Berth.Engine.Registry;
using Berth.Http;

namespace Berth.Api.Endpoints;

/// <summary>Registries over the API: pull (POST /images/create?fromImage), push, login (/auth); search is refused.</summary>
public static class RegistryEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        router.Map("POST", "/images/{name*}/push", ctx => PushAsync(ctx, engine));
        router.Map("POST", "/auth", ctx => LoginAsync(ctx, engine));
        router.Map("GET", "/images/search", ctx =>
            throw new EngineException(EngineErrorKind.NotImplemented, "search is not supported by Berth: registries have no common search API (Docker Hub's is its own)"));
    }

    /// <summary><c>POST /images/create?fromImage=&amp;tag=&amp;platform=</c>: a pull, with Docker's progress stream.</summary>
    public static async Task PullAsync(HttpContext ctx, BerthEngine engine, string fromImage)
    {
        var q = ctx.Request.Query;
        var reference = RegistryService.PullReference(fromImage, q.Get("tag"));
        var credentials = AuthConfigs.FromHeader(ctx.Request.Headers.Get("X-Registry-Auth"));
        var progress = new ProgressResponse(ctx);
        Exception? error = null;
        try
        {
            await engine.Registries.PullAsync(reference, q.Get("platform"), credentials, progress.Report, ctx.Aborted);
        }
        catch (Exception e)
        {
            error = e;
        }
        await progress.CompleteAsync(error);
    }

    /// <summary><c>POST /images/{name}/push?tag=</c>.</summary>
    static async Task PushAsync(HttpContext ctx, BerthEngine engine)
    {
        var credentials = AuthConfigs.FromHeader(ctx.Request.Headers.Get("X-Registry-Auth"));
        var progress = new ProgressResponse(ctx);
        Exception? error = null;
        try
        {
            await engine.Registries.PushAsync(ctx.RouteValues["name"], ctx.Request.Query.Get("tag"), credentials, progress.Report, ctx.Aborted);
        }
        catch (Exception e)
        {
            error = e;
        }
        await progress.CompleteAsync(error);
    }

    /// <summary><c>POST /auth</c> (docker login): 200 <c>{"Status":"Login Succeeded"}</c> when the registry takes the credentials.</summary>
    static async Task LoginAsync(HttpContext ctx, BerthEngine engine)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.Aborted);
        Berth.Distribution.Client.AuthConfig config;
        try
        {
            config = AuthConfigs.Read(buffer.ToArray());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new BadRequestException(e.Message);
        }
        await engine.Registries.LoginAsync(config, ctx.Aborted);
        await Respond.Json(ctx, new AuthResponse { Status = "Login Succeeded" }, DockerJson.Default.AuthResponse);
    }
}
