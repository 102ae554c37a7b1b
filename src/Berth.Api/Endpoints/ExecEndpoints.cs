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
            var container = execs.Claim(exec);
            if (request.Detach)
            {
                var (output, _) = await execs.LaunchAsync(container, exec, ctx.Aborted);
                _ = DrainAsync(output);
                await Respond.NoContent(ctx, 200);
                return;
            }
            // As dockerd: the connection is the client's stream before the process starts, so that none of the process'
            // output comes in the same read as the response head (docker-py reads the stream from the socket, past
            // whatever its HTTP parser buffered), and a process that cannot start says so in the stream.
            var client = await ctx.Response.HijackAsync(exec.Tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream", ctx.Aborted);
            await using (client)
            {
                (Stream Stream, Task<int> Exit) started;
                try
                {
                    started = await execs.LaunchAsync(container, exec, ctx.Aborted);
                }
                catch (EngineException e)
                {
                    await WriteFailureAsync(client, exec.Tty, e.Message, ctx.Aborted);
                    return;
                }
                byte[]? detachKeys = !exec.Tty ? null : exec.DetachKeys.Length > 0 ? exec.DetachKeys : Engine.Streams.DetachKeys.DefaultSequence;
                if (await StreamSplice.RunAsync(client, started.Stream, forwardInput: exec.AttachStdin, detachKeys))
                {
                    // The process goes on; its end is still recorded when its output ends.
                    _ = DrainAsync(started.Stream);
                    return;
                }
                await started.Exit;
            }
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
                DetachKeys = exec.DetachKeys,
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

    /// <summary>Why an exec could not start, on the stream's stdout as dockerd writes it (the CLI prints it and exits 126).</summary>
    static async Task WriteFailureAsync(Stream client, bool tty, string message, CancellationToken ct)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(message + "\r\n");
        if (tty)
            await client.WriteAsync(text, ct);
        else
            await Engine.Streams.MultiplexedStream.WriteFrameAsync(client, Engine.Streams.StdStream.Stdout, text, ct);
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
