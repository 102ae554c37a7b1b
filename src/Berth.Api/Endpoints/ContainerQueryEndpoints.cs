using System.Globalization;
using System.Text.Json;
using Berth.Http;
using Berth.Api.Views;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Runtimes;

namespace Berth.Api.Endpoints;

/// <summary>What a container is: list, inspect, top, changes, export.</summary>
public static class ContainerQueryEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        var containers = engine.Containers;
        router.Map("GET", "/containers/json", ctx =>
        {
            var q = ctx.Request.Query;
            var filters = Filters.Parse(q.Get("filters"), ContainerService.ListFilters);
            int limit = int.TryParse(q.Get("limit"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int l) ? l : 0;
            bool size = q.GetBool("size");
            var list = containers.List(q.GetBool("all"), limit, filters)
                .Select(c => size ? DiskUsageViews.WithSize(engine, c, ContainerViews.Summary(engine, c)) : ContainerViews.Summary(engine, c))
                .ToList();
            return Respond.Json(ctx, list, DockerJson.Default.ListContainerSummary);
        });
        router.Map("GET", "/containers/{id}/json", ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            var inspect = ContainerViews.Inspect(engine, container);
            if (ctx.Request.Query.GetBool("size"))
            {
                var sized = DiskUsageViews.WithSize(engine, container, new ContainerSummary());
                inspect.SizeRw = sized.SizeRw;
                inspect.SizeRootFs = sized.SizeRootFs;
            }
            return Respond.Json(ctx, inspect, DockerJson.Default.ContainerInspect);
        });
        router.Map("GET", "/containers/{id}/changes", ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            var changes = engine.Images.Snapshotter.Changes(container.Id)
                .Select(c => new FilesystemChange { Path = c.Path, Kind = (FilesystemChangeKind)(int)c.Kind }).ToList();
            return Respond.Json(ctx, changes, DockerJson.Default.ListFilesystemChange);
        });
        router.Map("GET", "/containers/{id}/export", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            await using var body = await ctx.Response.StartStreamAsync("application/x-tar", ctx.Aborted);
            engine.Images.Export(container.Id, body);
            containers.Events.Publish("container", "export", container.Id, containers.Attributes(container));
        });
        router.Map("GET", "/containers/{id}/top", async ctx =>
        {
            var container = containers.Store.Get(ctx.RouteValues["id"]);
            string psArgs = ctx.Request.Query.Get("ps_args") is { Length: > 0 } a ? a : "-ef";
            var top = await TopAsync(engine, container, psArgs, ctx.Aborted);
            await Respond.Json(ctx, top, DockerJson.Default.ContainerTopResponse);
        });
    }

    /// <summary>
    /// Docker's top: the host's ps with the client's arguments, keeping the rows of the container's
    /// processes (the runtime's ps lists their pids).
    /// </summary>
    static async Task<ContainerTopResponse> TopAsync(BerthEngine engine, Container container, string psArgs, CancellationToken ct)
    {
        if (!container.Record.State.Running)
            throw EngineException.Conflict($"container {container.Id} is not running");
        var runtime = engine.Options.Runtimes[container.Record.Runtime];
        string json = await RuntimeCommand.RunAsync(runtime, engine.Options.RuntimeRoot(runtime.Name), ["ps", "--format", "json", container.Id], ct);
        var pids = new HashSet<string>(JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetInt32().ToString(CultureInfo.InvariantCulture)));
        var info = new System.Diagnostics.ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in psArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(arg);
        using var ps = System.Diagnostics.Process.Start(info) ?? throw EngineException.System("cannot run ps");
        string output = await ps.StandardOutput.ReadToEndAsync(ct);
        string error = await ps.StandardError.ReadToEndAsync(ct);
        await ps.WaitForExitAsync(ct);
        if (ps.ExitCode != 0)
            throw EngineException.System($"ps: {error.Trim()}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int pidColumn = titles.IndexOf("PID");
        if (pidColumn < 0)
            throw EngineException.Invalid("Couldn't find PID field in ps output");
        var processes = new List<List<string>>();
        foreach (string line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= pidColumn || !pids.Contains(fields[pidColumn]))
                continue;
            // The last column (the command) may contain spaces.
            var row = fields.Take(titles.Count - 1).ToList();
            row.Add(string.Join(' ', fields.Skip(titles.Count - 1)));
            processes.Add(row);
        }
        return new ContainerTopResponse { Titles = titles, Processes = processes };
    }
}
