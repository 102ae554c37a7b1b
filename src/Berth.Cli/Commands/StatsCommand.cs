using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth stats" / "berth container stats": the named containers' usage, or every running one's (every one's with
/// -a, following starts and stops through the event stream), as docker's table or template, once with --no-stream or
/// redrawn every half second.
/// </summary>
internal static class StatsCommand
{
    static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(500);

    public static CommandSpec Spec() => new()
    {
        Name = "stats",
        Use = "[OPTIONS] [CONTAINER...]",
        Short = "Display a live stream of container(s) resource usage statistics",
        AliasesLine = "{0} container stats, {0} stats",
        Args = ArgsRule.Any,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Show all containers (default shows just running)");
            var format = FormatFlags.Table(flags);
            var noStream = flags.Bool("no-stream", null, false, "Disable streaming stats and only pull the first result");
            var noTrunc = flags.Bool("no-trunc", null, false, "Do not truncate output");
            return inv => RunAsync(inv, all.Value, format.Value, noStream.Value, noTrunc.Value);
        },
    };

    static async Task<int> RunAsync(Invocation inv, bool all, string format, bool noStream, bool noTrunc)
    {
        var feeds = new StatsFeeds(inv.Client, stream: !noStream);
        bool showAll = inv.Args.Count == 0;
        Task? watch = null;
        if (showAll)
        {
            // Subscribed before listing, so that no start between the two is missed.
            if (!noStream)
                watch = await WatchAsync(inv.Client, feeds, all).ConfigureAwait(false);
            var query = new Query().AddIf(all, "all", "1");
            foreach (var c in await inv.Client.GetListAsync("/containers/json", query, DockerJson.Default.ListContainerSummary).ConfigureAwait(false))
                feeds.Add(IdText.TruncateId(c.Id));
        }
        else
        {
            foreach (string name in inv.Args)
                feeds.Add(name);
        }
        await Task.WhenAll(feeds.All.Select(f => f.First)).ConfigureAwait(false);
        if (!showAll && feeds.All.Select(f => f.Error).OfType<string>().ToList() is { Count: > 0 } errors)
            throw new CliException(string.Join('\n', errors));

        if (format.Length == 0)
            format = inv.Cli.Config.StatsFormat ?? "table";
        string chosen = ListOutput.Choose(format, quiet: false, StatsRows.DefaultTable);
        string Render()
        {
            var table = new StringWriter { NewLine = "\n" };
            ListOutput.Write(table, chosen, feeds.All.Select(f => StatsRows.Row(f.Entry, !noTrunc)), StatsRows.Headers);
            return table.ToString();
        }
        if (noStream)
        {
            inv.Out.Write(Render());
            return 0;
        }
        inv.Cli.Flush();
        while (true)
        {
            await Task.Delay(RedrawInterval).ConfigureAwait(false);
            inv.Out.Write(Frame(Render()));
            inv.Out.Flush();
            if (feeds.All.Count == 0 && !showAll)
                return 0;
            if (watch is { IsCompleted: true })
                return 0;
        }
    }

    /// <summary>
    /// One redraw as docker 28 writes it: cursor home and the table; then, from its own buffer, every line of that
    /// again with " ESC[K" (erase the rest of the line) and a final ESC[J (erase below). On a terminal the second copy
    /// overwrites the first; the bytes are docker's.
    /// </summary>
    static string Frame(string table)
    {
        var text = new StringBuilder("\x1b[H").Append(table);
        foreach (string line in text.ToString().Split('\n'))
            text.Append(line).Append(" \x1b[K\n");
        return text.Append("\x1b[J").ToString();
    }

    /// <summary>Follows container events: a start (or, with -a, a create) adds the container, a die (without -a) removes it.</summary>
    static async Task<Task> WatchAsync(DaemonClient client, StatsFeeds feeds, bool all)
    {
        var query = new Query().Add("filters", "{\"type\":{\"container\":true}}");
        var response = await client.SendAsync("GET", "/events", query).ConfigureAwait(false);
        return Task.Run(async () =>
        {
            using (response)
            {
                using var reader = new StreamReader(response.Body, Encoding.UTF8);
                try
                {
                    while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                    {
                        if (line.Trim().Length == 0 || JsonNode.Parse(line) is not JsonObject e || e["Actor"]?["ID"]?.GetValue<string>() is not { Length: > 0 } id)
                            continue;
                        string action = e["Action"]?.GetValue<string>() ?? "";
                        if (action == "start" || (all && action == "create"))
                            feeds.Add(IdText.TruncateId(id));
                        else if (action == "die" && !all)
                            feeds.Remove(IdText.TruncateId(id));
                    }
                }
                catch (IOException)
                {
                    // The daemon went away: docker stats ends quietly.
                }
            }
        });
    }

    /// <summary>The containers followed, in the order they came, each once.</summary>
    sealed class StatsFeeds(DaemonClient client, bool stream)
    {
        readonly List<StatsFeed> _feeds = [];

        public IReadOnlyList<StatsFeed> All
        {
            get
            {
                lock (_feeds)
                    return [.. _feeds];
            }
        }

        public void Add(string container)
        {
            lock (_feeds)
            {
                if (_feeds.Any(f => f.Container == container))
                    return;
                var feed = new StatsFeed(container);
                _feeds.Add(feed);
                feed.Start(client, stream);
            }
        }

        public void Remove(string container)
        {
            lock (_feeds)
            {
                foreach (var feed in _feeds.Where(f => f.Container == container))
                    feed.Stop();
                _feeds.RemoveAll(f => f.Container == container);
            }
        }
    }
}
