using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth images" / "berth image ls".</summary>
internal static class ImagesCommand
{
    public static CommandSpec Spec(string name, string[] aliases, bool top) => new()
    {
        Name = name,
        Aliases = aliases,
        Use = "[OPTIONS] [REPOSITORY[:TAG]]",
        Short = "List images",
        AliasesLine = "{0} image ls, {0} image list, {0} images",
        Category = top ? CommandCategory.Top : CommandCategory.Plain,
        TopOrder = 7,
        Args = ArgsRule.AtMost(1),
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Show all images (default hides intermediate images)");
            var digests = flags.Bool("digests", null, false, "Show digests");
            var filter = FilterArgs.Define(flags);
            var format = FormatFlags.Table(flags);
            var noTrunc = flags.Bool("no-trunc", null, false, "Don't truncate output");
            var quiet = flags.Bool("quiet", 'q', false, "Only show image IDs");
            return async inv =>
            {
                if (inv.Args.Count > 0)
                    filter.Add("reference", inv.Args[0]);
                var query = new Query().AddIf(all.Value, "all", "1").AddIf(!filter.IsEmpty, "filters", filter.ToJson());
                var images = await inv.Client.GetListAsync("/images/json", query, DockerJson.Default.ListImageSummary).ConfigureAwait(false);
                string source = format.Value;
                if (source.Length == 0)
                    source = inv.Cli.Config.ImagesFormat is { } configured && !quiet.Value ? configured : "table";
                string chosen = ImageRows.Format(source, quiet.Value, digests.Value);
                ListOutput.Write(inv.Out, chosen, ImageRows.Rows(images, !noTrunc.Value, digests.Value, chosen), ImageRows.Headers);
                return 0;
            };
        },
    };

    public static CommandSpec History() => new()
    {
        Name = "history",
        Use = "[OPTIONS] IMAGE",
        Short = "Show the history of an image",
        AliasesLine = "{0} image history, {0} history",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var format = FormatFlags.Table(flags);
            var human = flags.Bool("human", 'H', true, "Print sizes and dates in human readable format");
            var noTrunc = flags.Bool("no-trunc", null, false, "Don't truncate output");
            var platform = flags.String("platform", null, "", "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")");
            var quiet = flags.Bool("quiet", 'q', false, "Only show image IDs");
            return async inv =>
            {
                var query = new Query();
                if (platform.Value.Length > 0)
                    query.Add("platform", PlatformJson(platform.Value));
                var history = await inv.Client.GetListAsync($"/images/{Query.PathSegment(inv.Args[0])}/history", query, DockerJson.Default.ListImageHistoryItem).ConfigureAwait(false);
                string chosen = HistoryRows.Format(format.Value, quiet.Value, human.Value);
                ListOutput.Write(inv.Out, chosen, history.Select(h => HistoryRows.Row(h, !noTrunc.Value, human.Value)), HistoryRows.Headers);
                return 0;
            };
        },
    };

    /// <summary>"linux/amd64/v8" as the API's platform parameter ({"os":"linux","architecture":"amd64","variant":"v8"}).</summary>
    public static string PlatformJson(string platform)
    {
        string[] parts = platform.Split('/');
        var o = new System.Text.Json.Nodes.JsonObject { ["architecture"] = parts.Length > 1 ? parts[1] : "", ["os"] = parts[0] };
        if (parts.Length > 2)
            o["variant"] = parts[2];
        return o.ToJsonString();
    }
}
