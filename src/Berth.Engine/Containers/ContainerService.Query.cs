using System.Globalization;
using Berth.Engine.Health;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    public static readonly string[] ListFilters = ["id", "name", "label", "label!", "status", "exited", "ancestor", "before", "since", "health", "is-task", "volume", "network", "publish", "expose"];

    /// <summary><c>docker rename</c>.</summary>
    public void Rename(Container container, string newName)
    {
        if (string.IsNullOrEmpty(newName))
            throw EngineException.Invalid("Neither old nor new names may be empty");
        string old = container.Record.Name;
        Store.Rename(container, newName);
        Networks.Renamed(container.Record, old.TrimStart('/'));
        Store.Save(container);
        Events.Publish("container", "rename", container.Id, Attributes(container, ("oldName", old)));
    }

    /// <summary>
    /// <c>docker ps</c>: newest first; all or running only; Docker's filters (id and name by
    /// substring/prefix, label, status, health, exited, ancestor, before, since); a limit.
    /// </summary>
    public IReadOnlyList<Container> List(bool all, int limit, Filters filters)
    {
        var containers = Store.All().OrderByDescending(c => c.Record.Created).ToList();
        DateTimeOffset? before = filters.Has("before") ? Store.Get(filters.Get("before")[0]).Record.Created : null;
        DateTimeOffset? since = filters.Has("since") ? Store.Get(filters.Get("since")[0]).Record.Created : null;
        foreach (string status in filters.Get("status"))
            if (!ContainerStatus.All.Contains(status))
                throw EngineException.Invalid($"invalid filter 'status={status}'");
        foreach (string health in filters.Get("health"))
            if (!HealthStatus.IsValid(health))
                throw EngineException.Invalid($"Unrecognised filter value for health: {health}");
        var ancestors = filters.Get("ancestor").Select(a => Images.TryGet(a)?.Id.ToString() ?? a).ToList();
        if (filters.Has("status") || filters.Has("exited"))
            all = true;
        var result = new List<Container>();
        foreach (var c in containers)
        {
            var r = c.Record;
            if (!all && !r.State.Running && r.State.Status != ContainerStatus.Restarting)
                continue;
            if (filters.Has("id") && !filters.Get("id").Any(id => r.Id.StartsWith(id, StringComparison.Ordinal)))
                continue;
            if (filters.Has("name") && !filters.Get("name").Any(n => r.PlainName.Contains(n.TrimStart('/'), StringComparison.Ordinal)))
                continue;
            if (!filters.MatchesLabels("label", r.Config.Labels))
                continue;
            if (filters.Has("label!") && filters.Get("label!").Any(l => Filters.Parse($"{{\"label\":[\"{l}\"]}}", ["label"]).MatchesLabels("label", r.Config.Labels)))
                continue;
            if (filters.Has("status") && !filters.Get("status").Contains(r.State.Status))
                continue;
            if (filters.Has("health") && !filters.Get("health").Contains(r.State.Health?.Status ?? HealthStatus.None))
                continue;
            if (filters.Has("exited") && (r.State.Status != ContainerStatus.Exited || !filters.Get("exited").Contains(r.State.ExitCode.ToString(CultureInfo.InvariantCulture))))
                continue;
            if (ancestors.Count > 0 && !ancestors.Contains(r.ImageId) && !ancestors.Contains(r.ImageName))
                continue;
            if (before is not null && r.Created >= before)
                continue;
            if (since is not null && r.Created <= since)
                continue;
            if (filters.Has("network") && !filters.Get("network").Any(n => r.Networks.Any(e => e.Key == n || e.Value.NetworkID == n)))
                continue;
            if (filters.Has("volume") && !filters.Get("volume").Any(v => r.MountPoints?.Any(m => m.Name == v || m.Source == v || m.Destination == v) == true))
                continue;
            if (filters.Has("publish") && !filters.Get("publish").Any(p => Publishes(r, p)))
                continue;
            if (filters.Has("expose") && !filters.Get("expose").Any(p => Exposes(r, p)))
                continue;
            result.Add(c);
            if (limit > 0 && result.Count == limit)
                break;
        }
        return result;
    }

    /// <summary>"8080" or "8080/tcp": a host port the running container publishes.</summary>
    static bool Publishes(ContainerRecord r, string port)
    {
        var (number, protocol) = Berth.Engine.Networks.PortMapper.ParsePort(port);
        return r.State.Running && r.PublishedPorts?.Any(p => p.Key.EndsWith("/" + protocol, StringComparison.Ordinal)
            && p.Value?.Any(b => b.HostPort == number.ToString(CultureInfo.InvariantCulture)) == true) == true;
    }

    /// <summary>"80" or "80/tcp": a port the container exposes (from its image, --expose or -p).</summary>
    static bool Exposes(ContainerRecord r, string port)
    {
        var (number, protocol) = Berth.Engine.Networks.PortMapper.ParsePort(port);
        string key = $"{number}/{protocol}";
        return r.Config.ExposedPorts?.ContainsKey(key) == true || r.HostConfig.PortBindings?.ContainsKey(key) == true;
    }

    /// <summary><c>docker container prune</c>: every stopped container (label and until filters).</summary>
    public async Task<(List<string> Deleted, long Reclaimed)> PruneAsync(Filters filters, CancellationToken ct)
    {
        DateTimeOffset? until = filters.Has("until") ? ParseUntil(filters.Get("until")[0]) : null;
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var c in Store.All())
        {
            var r = c.Record;
            if (r.State.Running || r.State.Status == ContainerStatus.Removing)
                continue;
            if (!filters.MatchesLabels("label", r.Config.Labels) || (until is not null && r.Created > until))
                continue;
            try
            {
                reclaimed += Images.Snapshotter.Usage(c.Id).Size;
            }
            catch (Exception e) when (e is Berth.Images.StoreException or IOException)
            {
                // Size unknown: counted as nothing.
            }
            await RemoveAsync(c, force: false, removeVolumes: false, ct);
            deleted.Add(c.Id);
        }
        Events.Publish("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(CultureInfo.InvariantCulture) });
        return (deleted, reclaimed);
    }

    /// <summary>Docker's time filter values: unix seconds (with fraction), RFC 3339, or a duration back from now (10m, 2h).</summary>
    public static DateTimeOffset ParseUntil(string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        if (GoDuration.TryParse(value, out var duration))
            return DateTimeOffset.UtcNow - duration;
        throw EngineException.Invalid($"invalid time value \"{value}\"");
    }
}
