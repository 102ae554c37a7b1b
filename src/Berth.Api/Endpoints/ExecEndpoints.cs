using Berth.Http;
using Berth.Engine;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary><c>docker exec</c> over the API: create, start (hijacked, or detached), inspect, resize.</summary>
public static class ExecEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var execs = engine.Execs;
        router.Map("POST", "/containers/{id}/exec", async ctx =>
        {
            var container = engine.Containers.Store.Get(ctx.RouteValues["id"]);
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.ExecCreateRequest);
            var exec = execs.Create(container, request);
            await Respond.Json(ctx, new IdResponse { Id = exec.Id }, DockerJson.Default.IdResponse, 201);
        });
        router.Map("POST", "/exec/{id}/start", async ctx =>
        {
            var exec = execs.Get(ctx.RouteValues["id"]);
            var request = await Respond.ReadJsonAsync(ctx, DockerJson.Default.ExecStartRequest, allowEmpty: true);
            if (request.ConsoleSize is [var h, var w, ..])
                exec.ConsoleSize = [(int)h, (int)w];
            var (stream, exit) = await execs.StartAsync(exec, ctx.Aborted);
            if (request.Detach)
            {
                _ = DrainAsync(stream);
                await Respond.NoContent(ctx, 200);
                return;
            }
            var client = await ctx.Response.HijackAsync(exec.Tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream", ctx.Aborted);
            await using (client)
                await StreamSplice.RunAsync(client, stream, forwardInput: exec.AttachStdin);
            await exit;
        });
        router.Map("POST", "/exec/{id}/resize", async ctx =>
        {
            var exec = execs.Get(ctx.RouteValues["id"]);
            var (rows, columns) = ContainerStreamEndpoints.Size(ctx);
            await execs.ResizeAsync(exec, rows, columns, ctx.Aborted);
            await Respond.NoContent(ctx, 200);
        });
        router.Map("GET", "/exec/{id}/json", ctx =>
        {
            var exec = execs.Get(ctx.RouteValues["id"]);
            var inspect = new ExecInspect
            {
                CanRemove = false,
                DetachKeys = System.Text.Encoding.UTF8.GetBytes(exec.DetachKeys),
                ID = exec.Id,
                Running = exec.Running,
                ExitCode = exec.ExitCode,
                ProcessConfig = new ExecProcessConfig
                {
                    Privileged = exec.Privileged,
                    User = exec.User,
                    Tty = exec.Tty,
                    Entrypoint = exec.Cmd[0],
                    Arguments = exec.Cmd[1..],
                },
                OpenStdin = exec.AttachStdin,
                OpenStderr = exec.AttachStderr,
                OpenStdout = exec.AttachStdout,
                ContainerID = exec.ContainerId,
                Pid = exec.Pid,
            };
            return Respond.Json(ctx, inspect, DockerJson.Default.ExecInspect);
        });
    }

    /// <summary>A detached exec's output goes nowhere, but must be read so that the exec never blocks on it.</summary>
    static async Task DrainAsync(Stream stream)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
        await stream.DisposeAsync();
    }
}
