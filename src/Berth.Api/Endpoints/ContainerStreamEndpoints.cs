using System.Globalization;
using Berth.Http;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Model;
using Berth.Engine.Streams;
using LogConfig = Berth.Engine.Logs.LogConfig;

namespace Berth.Api.Endpoints;

/// <summary>The streams of a container: wait, attach (hijacked), logs, resize.</summary>
public static class ContainerStreamEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var containers = engine.Containers;
        router.Map("POST", "/containers/{id}/wait", ctx => WaitAsync(ctx, containers));
        router.Map("POST", "/containers/{id}/attach", ctx => AttachAsync(ctx, containers));
        router.Map("GET", "/containers/{id}/logs", ctx => LogsAsync(ctx, containers));
        router.Map("POST", "/containers/{id}/resize", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            var (rows, columns) = Size(ctx);
            if (!container.Record.State.Running || container.Shim is not { } shim)
                throw EngineException.Conflict($"Container {container.Id} is not running");
            await shim.ResizeAsync(rows, columns, ctx.Aborted);
            await Respond.NoContent(ctx, 200);
        });
    }

    public static (int Rows, int Columns) Size(HttpContext ctx)
    {
        if (!int.TryParse(ctx.Request.Query.Get("h"), NumberStyles.None, CultureInfo.InvariantCulture, out int rows)
            || !int.TryParse(ctx.Request.Query.Get("w"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns))
            throw new BadRequestException("strconv.Atoi: parsing \"\": invalid syntax");
        return (rows, columns);
    }

    /// <summary>
    /// Docker sends the headers at once (the client then knows the wait is registered, and starts
    /// the container) and the body when the condition holds.
    /// </summary>
    static async Task WaitAsync(HttpContext ctx, ContainerService containers)
    {
        var container = containers.Store.Get(ctx.RouteValues["id"]);
        var condition = ctx.Request.Query.Get("condition") switch
        {
            null or "" or "not-running" => WaitCondition.NotRunning,
            "next-exit" => WaitCondition.NextExit,
            "removed" => WaitCondition.Removed,
            var other => throw new BadRequestException($"invalid condition: \"{other}\""),
        };
        var wait = containers.WaitAsync(container, condition, ctx.Aborted);
        await using var body = await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
        int code = await wait;
        var response = new ContainerWaitResponse { StatusCode = code };
        // dockerd answers "removed" with no error even after a failed start (`docker run --rm nosuchcmd`): the CLI
        // would print an extra "Error waiting for container" line; the start's own error says it all.
        if (condition != WaitCondition.Removed && !string.IsNullOrEmpty(container.Record.State.Error))
            response.Error = new ContainerWaitExitError { Message = container.Record.State.Error };
        await body.WriteAsync(DockerJson.SerializeLine(response, DockerJson.Default.ContainerWaitResponse, escapeHtml: false), ctx.Aborted);
    }

    static async Task AttachAsync(HttpContext ctx, ContainerService containers)
    {
        var container = containers.Store.Get(ctx.RouteValues["id"]);
        var q = ctx.Request.Query;
        bool stdin = q.GetBool("stdin"), stdout = q.GetBool("stdout"), stderr = q.GetBool("stderr");
        if (!q.GetBool("stream") && !q.GetBool("logs"))
            throw new BadRequestException("Bad parameters: you must choose at least one stream");
        if (!stdin && !stdout && !stderr)
            throw new BadRequestException("Bad parameters: you must choose at least one stream");
        if (container.Record.State.Status == ContainerStatus.Paused)
            throw EngineException.Conflict($"You cannot attach to a paused container, unpause it first");
        bool tty = container.Record.Config.Tty;
        // dockerd watches a terminal's input for the detach keys (ctrl-p,ctrl-q unless the client gives others).
        if (!Engine.Streams.DetachKeys.TryParse(q.Get("detachKeys"), out byte[] detachKeys))
            throw new BadRequestException(Engine.Streams.DetachKeys.Invalid(q.Get("detachKeys")));
        var client = await ctx.Response.HijackAsync(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream", ctx.Aborted);
        await using (client)
        {
            if (q.GetBool("logs") && container.Record.HostConfig.LogConfig is { } lc && LogDrivers.CanRead(lc.Type) && File.Exists(container.Record.LogPath))
            {
                var options = new LogReadOptions(stdout, stderr, null, null, null, Follow: false);
                await LogReader.CopyToAsync(new LogConfig(lc.Type, lc.Config ?? []), container.Record.LogPath, options, Task.CompletedTask, client, timestamps: false, tty, ctx.Aborted);
            }
            if (!q.GetBool("stream"))
                return;
            Stream shim;
            if (container.Record.State.Running && container.Shim is { } live)
            {
                shim = await live.AttachAsync(stdin, stdout, stderr, ctx.Aborted);
            }
            else
            {
                var pending = new PendingAttach(stdin, stdout, stderr);
                lock (container.PendingAttaches)
                    container.PendingAttaches.Add(pending);
                containers.Events.Publish("container", "attach", container.Id, containers.Attributes(container));
                using var registration = ctx.Aborted.Register(() =>
                {
                    lock (container.PendingAttaches)
                        container.PendingAttaches.Remove(pending);
                    pending.Stream.TrySetCanceled();
                });
                try
                {
                    shim = await pending.Stream.Task;
                }
                catch (Exception) when (ctx.Aborted.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // The start failed: the client learns it from the start request.
                    return;
                }
            }
            if (await StreamSplice.RunAsync(client, shim, forwardInput: stdin && container.Record.Config.OpenStdin, tty ? detachKeys : null))
            {
                await shim.DisposeAsync();
                containers.Events.Publish("container", "detach", container.Id, containers.Attributes(container));
            }
        }
    }

    static async Task LogsAsync(HttpContext ctx, ContainerService containers)
    {
        var container = containers.Store.Get(ctx.RouteValues["id"]);
        var q = ctx.Request.Query;
        bool stdout = q.GetBool("stdout"), stderr = q.GetBool("stderr");
        if (!stdout && !stderr)
            throw new BadRequestException("Bad parameters: you must choose at least one stream");
        var lc = container.Record.HostConfig.LogConfig;
        string type = lc?.Type ?? "json-file";
        if (!LogDrivers.CanRead(type))
            throw new BadRequestException($"configured logging driver does not support reading");
        int? tail = q.Get("tail") is { Length: > 0 } t && t != "all"
            ? int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? (n < 0 ? null : n) : throw new BadRequestException($"invalid value for tail: {t}")
            : null;
        var options = new LogReadOptions(stdout, stderr, Time(q.Get("since")), Time(q.Get("until")), tail, q.GetBool("follow"));
        bool tty = container.Record.Config.Tty;
        bool timestamps = q.GetBool("timestamps");
        var stopped = container.Record.State.Running ? container.NextExit : Task.CompletedTask;
        await using var body = await ctx.Response.StartStreamAsync(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream", ctx.Aborted);
        if (string.IsNullOrEmpty(container.Record.LogPath) || (!File.Exists(container.Record.LogPath) && !options.Follow))
            return;
        try
        {
            await LogReader.CopyToAsync(new LogConfig(type, lc?.Config ?? []), container.Record.LogPath, options, stopped, body, timestamps, tty, ctx.Aborted);
        }
        catch (OperationCanceledException) when (ctx.Aborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    static DateTimeOffset? Time(string? value)
        => string.IsNullOrEmpty(value) || value == "0" ? null : ContainerService.ParseUntil(value);
}
