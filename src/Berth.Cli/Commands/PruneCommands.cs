using System.Text;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>container prune, image prune, system prune, builder prune: what they delete and the space it gave back.</summary>
internal static class PruneCommands
{
    public static CommandSpec Containers() => new()
    {
        Name = "prune",
        Use = "[OPTIONS]",
        Short = "Remove all stopped containers",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"until=<timestamp>\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            return async inv =>
            {
                if (!force.Value && !Prompt.Confirm(inv.Cli, "WARNING! This will remove all stopped containers."))
                    return 0;
                var (space, output) = await PruneContainersAsync(inv.Client, filter).ConfigureAwait(false);
                if (output.Length > 0)
                    inv.Out.WriteLine(output);
                inv.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(space, 4));
                return 0;
            };
        },
    };

    public static CommandSpec Images() => new()
    {
        Name = "prune",
        Use = "[OPTIONS]",
        Short = "Remove unused images",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Remove all unused images, not just dangling ones");
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"until=<timestamp>\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            return async inv =>
            {
                string warning = all.Value
                    ? "WARNING! This will remove all images without at least one container associated to them."
                    : "WARNING! This will remove all dangling images.";
                if (!force.Value && !Prompt.Confirm(inv.Cli, warning))
                    return 0;
                var (space, output) = await PruneImagesAsync(inv.Client, filter, all.Value).ConfigureAwait(false);
                if (output.Length > 0)
                    inv.Out.WriteLine(output);
                inv.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(space, 4));
                return 0;
            };
        },
    };

    public static CommandSpec System() => new()
    {
        Name = "prune",
        Use = "[OPTIONS]",
        Short = "Remove unused data",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Remove all unused images not just dangling ones");
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"label=<key>=<value>\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            var volumes = flags.Bool("volumes", null, false, "Prune anonymous volumes");
            return async inv =>
            {
                var warning = new StringBuilder("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n");
                if (volumes.Value)
                    warning.Append("  - all anonymous volumes not used by at least one container\n");
                warning.Append(all.Value ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n");
                warning.Append("  - unused build cache\n");
                if (!force.Value && !Prompt.Confirm(inv.Cli, warning.ToString()))
                    return 0;
                ulong total = 0;
                var (containerSpace, containerOutput) = await PruneContainersAsync(inv.Client, filter).ConfigureAwait(false);
                total += containerSpace;
                if (containerOutput.Length > 0)
                    inv.Out.WriteLine(containerOutput);
                var networks = await OptionalPruneAsync(inv.Client, "/networks/prune", filter, "NetworksDeleted", "Deleted Networks:").ConfigureAwait(false);
                if (networks.Length > 0)
                    inv.Out.WriteLine(networks);
                if (volumes.Value)
                {
                    var v = await OptionalPruneAsync(inv.Client, "/volumes/prune", filter, "VolumesDeleted", "Deleted Volumes:").ConfigureAwait(false);
                    if (v.Length > 0)
                        inv.Out.WriteLine(v);
                }
                var (imageSpace, imageOutput) = await PruneImagesAsync(inv.Client, filter, all.Value).ConfigureAwait(false);
                total += imageSpace;
                if (imageOutput.Length > 0)
                    inv.Out.WriteLine(imageOutput);
                // The docker CLI prunes the build cache last, with the same --all and filters. Cache entries carry no
                // labels: a label filter keeps them all, so the cache is left alone then.
                if (!filter.Names.Any(n => n.StartsWith("label", StringComparison.Ordinal)))
                {
                    var (cacheSpace, cacheOutput) = await PruneBuildCacheAsync(inv.Client, all.Value, filter, keepStorage: 0).ConfigureAwait(false);
                    total += cacheSpace;
                    if (cacheOutput.Length > 0)
                        inv.Out.WriteLine(cacheOutput);
                }
                inv.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(total, 4));
                return 0;
            };
        },
    };

    /// <summary>
    /// <c>builder prune</c>: the docker CLI's legacy command (cli/command/builder/prune.go) over <c>POST /build/prune</c>,
    /// its warning, its "Deleted build cache objects:" list and its total.
    /// </summary>
    public static CommandSpec BuildCache() => new()
    {
        Name = "prune",
        Use = "",
        Short = "Remove build cache",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Remove all unused build cache, not just dangling ones");
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"until=24h\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            var keepStorage = flags.Value("keep-storage", null, "bytes", 0L, HumanUnits.RamInBytes, "Amount of disk space to keep for cache");
            return async inv =>
            {
                string warning = all.Value
                    ? "WARNING! This will remove all build cache. Are you sure you want to continue?"
                    : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
                if (!force.Value && !Prompt.Ask(inv.Cli, warning))
                    return 0;
                var (space, output) = await PruneBuildCacheAsync(inv.Client, all.Value, filter, keepStorage.Value).ConfigureAwait(false);
                if (output.Length > 0)
                    inv.Out.WriteLine(output);
                inv.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(space, 4));
                return 0;
            };
        },
    };

    /// <summary><c>POST /build/prune</c>: the space it gave back, and docker's "Deleted build cache objects:" list.</summary>
    static async Task<(ulong, string)> PruneBuildCacheAsync(DaemonClient client, bool all, FilterArgs filter, long keepStorage)
    {
        var query = new Query()
            .AddIf(all, "all", "1")
            .AddIf(keepStorage != 0, "keep-storage", keepStorage.ToString(global::System.Globalization.CultureInfo.InvariantCulture))
            .Add("filters", filter.ToJson());
        var report = await client.PostJsonAsync("/build/prune", query).ConfigureAwait(false);
        string output = report?["CachesDeleted"] is global::System.Text.Json.Nodes.JsonArray { Count: > 0 } deleted
            ? "Deleted build cache objects:\n" + string.Concat(deleted.Select(id => id + "\n"))
            : "";
        return (report?["SpaceReclaimed"]?.GetValue<ulong>() ?? 0, output);
    }

    static async Task<(ulong, string)> PruneContainersAsync(DaemonClient client, FilterArgs filter)
    {
        var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
        var report = await client.PostAsync("/containers/prune", query, null, DockerJson.Default.ContainerPruneResponse).ConfigureAwait(false);
        var sb = new StringBuilder();
        if (report.ContainersDeleted is { Count: > 0 } deleted)
        {
            sb.Append("Deleted Containers:\n");
            foreach (var id in deleted)
                sb.Append(id).Append('\n');
        }
        return (report.SpaceReclaimed, sb.ToString());
    }

    static async Task<(ulong, string)> PruneImagesAsync(DaemonClient client, FilterArgs filter, bool all)
    {
        var filters = new FilterArgs();
        foreach (var name in filter.Names)
        {
            foreach (var value in filter.Get(name))
                filters.Add(name, value);
        }
        filters.Add("dangling", all ? "false" : "true");
        var report = await client.PostAsync("/images/prune", new Query().Add("filters", filters.ToJson()), null, DockerJson.Default.ImagePruneResponse).ConfigureAwait(false);
        var sb = new StringBuilder();
        if (report.ImagesDeleted is { Count: > 0 } deleted)
        {
            sb.Append("Deleted Images:\n");
            foreach (var item in deleted)
            {
                if (!string.IsNullOrEmpty(item.Untagged))
                    sb.Append("untagged: ").Append(item.Untagged).Append('\n');
                if (!string.IsNullOrEmpty(item.Deleted))
                    sb.Append("deleted: ").Append(item.Deleted).Append('\n');
            }
        }
        return (report.SpaceReclaimed, sb.ToString());
    }

    /// <summary>Networks and volumes: pruned when the daemon serves them, skipped when it does not know the route.</summary>
    static async Task<string> OptionalPruneAsync(DaemonClient client, string path, FilterArgs filter, string key, string title)
    {
        try
        {
            var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
            var json = await client.PostJsonAsync(path, query).ConfigureAwait(false);
            if (json?[key] is System.Text.Json.Nodes.JsonArray { Count: > 0 } items)
                return title + "\n" + string.Concat(items.Select(i => i + "\n"));
            return "";
        }
        catch (DaemonException e) when (e.Status is 404 or 501)
        {
            return "";
        }
    }
}
