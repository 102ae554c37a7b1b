using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth ps" / "berth container ls": the container table.</summary>
internal static partial class PsCommand
{
    public static CommandSpec Spec(string name, string[] aliases, bool top) => new()
    {
        Name = name,
        Aliases = aliases,
        Use = "[OPTIONS]",
        Short = "List containers",
        AliasesLine = "{0} container ls, {0} container list, {0} container ps, {0} ps",
        Category = top ? CommandCategory.Top : CommandCategory.Plain,
        TopOrder = 3,
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Show all containers (default shows just running)");
            var filter = FilterArgs.Define(flags);
            var format = FormatFlags.Table(flags);
            var last = flags.Int("last", 'n', -1, "Show n last created containers (includes all states)");
            var latest = flags.Bool("latest", 'l', false, "Show the latest created container (includes all states)");
            var noTrunc = flags.Bool("no-trunc", null, false, "Don't truncate output");
            var quiet = flags.Bool("quiet", 'q', false, "Only display container IDs");
            var size = flags.Bool("size", 's', false, "Display total file sizes");
            return inv => RunAsync(inv, all.Value, filter, format.Value, last.Value, latest.Value, noTrunc.Value, quiet.Value, size);
        },
    };

    static async Task<int> RunAsync(Invocation inv, bool all, FilterArgs filter, string format, long last, bool latest, bool noTrunc, bool quiet, FlagRef<bool> size)
    {
        if (format.Length == 0)
            format = inv.Cli.Config.PsFormat ?? "";
        else if (quiet)
            inv.Err.WriteLine("WARNING: Ignoring custom format, because both --format and --quiet are set.");
        bool wantSize = size.Value;
        if (format.Length > 0)
        {
            GoTemplate template;
            try
            {
                template = GoTemplate.Parse(format);
            }
            catch (TemplateParseException e)
            {
                throw new CliException("failed to parse template: " + e.Message);
            }
            bool sizeUsed = false;
            var probe = ProbeRow(() => sizeUsed = true);
            try
            {
                template.Execute(probe);
            }
            catch (TemplateExecutionException e)
            {
                throw new CliException("failed to execute template: " + e.Message);
            }
            if (!quiet && !wantSize && !size.Changed && (sizeUsed || JsonOfDot().IsMatch(format)))
                wantSize = true;
        }
        long limit = latest && last == -1 ? 1 : last;
        var query = new Query()
            .AddIf(all, "all", "1")
            .AddIf(limit > 0, "limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .AddIf(wantSize, "size", "1")
            .AddIf(!filter.IsEmpty, "filters", filter.ToJson());
        var containers = await inv.Client.GetListAsync("/containers/json", query, DockerJson.Default.ListContainerSummary).ConfigureAwait(false);
        string chosen = ListOutput.Choose(format, quiet, ContainerRows.DefaultTable + (wantSize ? "\t{{.Size}}" : ""), rawFormat: ContainerRows.RawFormat);
        ListOutput.Write(inv.Out, chosen, containers.Select(c => ContainerRows.Row(c, !noTrunc)), ContainerRows.Headers);
        return 0;
    }

    /// <summary>An empty row whose Size method notes that the template reads it (docker's FieldsUsed).</summary>
    static TemplateObject ProbeRow(Action sizeRead)
    {
        var fields = new JsonObject();
        foreach (var key in ContainerRows.Headers.Keys)
            fields[key] = "";
        fields.Remove("Size");
        var methods = new Dictionary<string, TemplateFunction>
        {
            ["Size"] = TemplateFunction.Of(_ =>
            {
                sizeRead();
                return "";
            }),
            ["Label"] = ListOutput.LabelMethod(null),
        };
        return new TemplateObject(fields, methods, ContainerRows.TypeName);
    }

    [GeneratedRegex(@"json\s+\.\s*}}")]
    private static partial Regex JsonOfDot();
}
