using Berth.Http;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Model;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>GET /events</c>: past events from <c>since</c>, then live ones until <c>until</c> or the client
/// leaves; Docker's filters (type, event, container, image, label); one JSON message per line.
/// </summary>
public static class EventEndpoints
{
    static readonly string[] Accepted = ["type", "event", "container", "image", "label", "network", "volume", "daemon", "scope", "plugin", "node", "service", "secret", "config"];

    public static void Map(Router router, BerthEngine engine)
        => router.Map("GET", "/events", ctx => StreamAsync(ctx, engine));

    static async Task StreamAsync(HttpContext ctx, BerthEngine engine)
    {
        var q = ctx.Request.Query;
        var filters = Filters.Parse(q.Get("filters"), Accepted);
        DateTimeOffset? since = Time(q.Get("since"));
        DateTimeOffset? until = Time(q.Get("until"));
        if (since is not null && until is not null && until < since)
            throw new BadRequestException("`since` time must be before `until` time");
        await using var body = await ctx.Response.StartStreamAsync("application/json", ctx.Aborted);
        if (until is not null && until <= DateTimeOffset.UtcNow)
        {
            foreach (var e in engine.Events.History(since, until.Value))
                if (Matches(filters, e, engine))
                    await WriteAsync(body, e, ctx.Aborted);
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Aborted);
        if (until is not null)
            stop.CancelAfter(until.Value - DateTimeOffset.UtcNow);
        try
        {
            await foreach (var e in engine.Events.Subscribe(since, stop.Token))
                if (Matches(filters, e, engine))
                    await WriteAsync(body, e, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client left, or until came.
        }
    }

    static bool Matches(Filters filters, EngineEvent e, BerthEngine engine)
    {
        if (!filters.MatchesExact("type", e.Type) || (filters.Has("event") && !filters.Get("event").Contains(e.ActionName) && !filters.Get("event").Contains(e.Action)))
            return false;
        if (filters.Has("container"))
        {
            if (e.Type != "container")
                return false;
            e.Attributes.TryGetValue("name", out string? name);
            if (!filters.Get("container").Any(c => c == name || e.ActorId.StartsWith(c, StringComparison.Ordinal)))
                return false;
        }
        if (filters.Has("image"))
        {
            e.Attributes.TryGetValue("image", out string? image);
            e.Attributes.TryGetValue("name", out string? name);
            string? id = e.Type == "image" ? e.ActorId : null;
            if (!filters.Get("image").Any(i => i == image || (e.Type == "image" && (i == name || id == i || (id is not null && engine.Images.TryGet(i)?.Id.ToString() == id)))))
                return false;
        }
        // network= and volume= as dockerd's: events of that type, by ID (a network's also by name).
        if (filters.Has("network"))
        {
            e.Attributes.TryGetValue("name", out string? name);
            if (e.Type != "network" || !filters.Get("network").Any(n => n == name || n == e.ActorId))
                return false;
        }
        if (filters.Has("volume") && (e.Type != "volume" || !filters.Get("volume").Contains(e.ActorId)))
            return false;
        return filters.MatchesLabels("label", e.Attributes);
    }

    static async Task WriteAsync(Stream body, EngineEvent e, CancellationToken ct)
    {
        long nanos = (e.Time - DateTimeOffset.UnixEpoch).Ticks * 100;
        var message = new EventMessage
        {
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Scope = "local",
            Time = e.Time.ToUnixTimeSeconds(),
            TimeNano = nanos,
        };
        if (e.Type is "container" or "image")
        {
            message.Status = e.Action;
            message.Id = e.ActorId;
            if (e.Type == "container" && e.Attributes.TryGetValue("image", out string? from))
                message.From = from;
        }
        await body.WriteAsync(DockerJson.SerializeLine(message, DockerJson.Default.EventMessage, escapeHtml: true), ct);
    }

    static DateTimeOffset? Time(string? value) => string.IsNullOrEmpty(value) ? null : ContainerService.ParseUntil(value);
}
