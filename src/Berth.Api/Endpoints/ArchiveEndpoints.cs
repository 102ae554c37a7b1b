using Berth.Http;
using Berth.Engine;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>docker cp</c>'s three requests on /containers/{id}/archive: HEAD stats a path, GET sends its tar, PUT extracts a
/// tar into a directory. The stat travels base64-encoded in the <c>X-Docker-Container-Path-Stat</c> header.
/// </summary>
public static class ArchiveEndpoints
{
    const string StatHeader = "X-Docker-Container-Path-Stat";

    public static void Map(Router router, BerthEngine engine)
    {
        var containers = engine.Containers;
        router.Map("HEAD", "/containers/{id}/archive", async ctx =>
        {
            var (name, path) = Target(ctx);
            var stat = await containers.StatPathAsync(containers.Store.Get(name), name, path, ctx.Aborted);
            ctx.Response.SetHeader(StatHeader, Encode(stat));
            await Respond.NoContent(ctx, 200);
        });
        router.Map("GET", "/containers/{id}/archive", async ctx =>
        {
            var (name, path) = Target(ctx);
            using var archive = await containers.ArchivePathAsync(containers.Store.Get(name), name, path, ctx.Aborted);
            ctx.Response.SetHeader(StatHeader, Encode(archive.Stat));
            var body = new BufferedResponseBody(ctx, "application/x-tar");
            await Task.Run(() => archive.WriteTo(body));
            await body.CompleteAsync();
        });
        router.Map("PUT", "/containers/{id}/archive", async ctx =>
        {
            var (name, path) = Target(ctx);
            var q = ctx.Request.Query;
            // The docker CLI always asks noOverwriteDirNonDir; other clients get Docker's default, overwriting.
            await containers.ExtractToDirAsync(containers.Store.Get(name), name, path, q.GetBool("copyUIDGID"), q.GetBool("noOverwriteDirNonDir"),
                ctx.Request.Body, ctx.Aborted);
            await Respond.NoContent(ctx, 200);
        });
    }

    /// <summary>Docker's ArchiveFormValues: the container as named and the path, which must be given.</summary>
    static (string Name, string Path) Target(HttpContext ctx)
    {
        string path = ctx.Request.Query.Get("path") ?? "";
        if (path.Length == 0)
            throw new BadRequestException("bad parameter: pathcannot be empty"); // sic: Docker's badParameterError has no space
        return (ctx.RouteValues["id"], path);
    }

    /// <summary>The stat as Docker's header carries it: json.Marshal (HTML escaped), then standard base64.</summary>
    static string Encode(ContainerPathStat stat) => Convert.ToBase64String(DockerJson.Serialize(stat, DockerJson.Default.ContainerPathStat));
}
