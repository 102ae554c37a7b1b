using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth volume create/ls/inspect/rm/prune", with docker's flags and output.</summary>
internal static class VolumeCommands
{
    const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    static readonly Dictionary<string, string> Headers = new()
    {
        ["Driver"] = "DRIVER",
        ["Name"] = "VOLUME NAME",
        ["Scope"] = "SCOPE",
        ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS",
        ["Links"] = "LINKS",
        ["Size"] = "SIZE",
        ["Availability"] = "AVAILABILITY",
        ["Group"] = "GROUP",
        ["Status"] = "STATUS",
    };

    public static CommandSpec Group() => new CommandSpec { Name = "volume", Short = "Manage volumes" }.Add(Create(), Inspect(), List(), Prune(), Remove());

    static CommandSpec Create() => new()
    {
        Name = "create",
        Use = "[OPTIONS] [VOLUME]",
        Short = "Create a volume",
        Args = ArgsRule.AtMost(1),
        Setup = flags =>
        {
            var driver = flags.String("driver", 'd', "local", "Specify volume driver name");
            var labels = flags.List("label", null, "Set metadata for a volume");
            var name = flags.String("name", null, "", "Specify volume name");
            var options = flags.List("opt", 'o', "Set driver specific options", typeName: "map");
            return async inv =>
            {
                string chosen = name.Value;
                if (inv.Args.Count == 1)
                {
                    if (chosen.Length > 0 && chosen != inv.Args[0])
                        throw new CliException($"conflicting options: cannot specify a volume-name through both --name and as a positional arg");
                    chosen = inv.Args[0];
                }
                var request = new VolumeCreateRequest
                {
                    Name = chosen,
                    Driver = driver.Value,
                    DriverOpts = Map(options.Value),
                    Labels = Map(labels.Value),
                };
                var volume = await inv.Client.PostAsync("/volumes/create", null, DaemonClientTyped.Json(request, DockerJson.Default.VolumeCreateRequest), DockerJson.Default.Volume).ConfigureAwait(false);
                inv.Out.WriteLine(volume.Name);
                return 0;
            };
        },
    };

    static Dictionary<string, string> Map(IEnumerable<string> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            map[eq < 0 ? pair : pair[..eq]] = eq < 0 ? "" : pair[(eq + 1)..];
        }
        return map;
    }

    static CommandSpec Inspect() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] VOLUME [VOLUME...]",
        Short = "Display detailed information on one or more volumes",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            return async inv =>
            {
                var found = new List<JsonNode>();
                var errors = new List<string>();
                foreach (string name in inv.Args)
                {
                    try
                    {
                        if (await inv.Client.GetJsonAsync("/volumes/" + Query.PathSegment(name)).ConfigureAwait(false) is { } node)
                            found.Add(node);
                    }
                    catch (DaemonException e) when (e.IsNotFound)
                    {
                        errors.Add(e.Message);
                    }
                }
                if (format.Value.Length == 0)
                {
                    inv.Out.Write(found.Count == 0 ? "[]\n" : JsonIndent.Indent(new JsonArray([.. found.Select(n => n.DeepClone())]).ToJsonString()) + "\n");
                }
                else
                {
                    var template = GoTemplate.Parse(format.Value == "json" ? "{{json .}}" : format.Value, missingKey: MissingKeyMode.Error);
                    var output = new StringBuilder();
                    foreach (var node in found)
                        output.Append(template.Execute(node)).Append('\n');
                    inv.Out.Write(output.ToString());
                }
                if (errors.Count > 0)
                    throw new CliException(string.Join('\n', errors));
                return 0;
            };
        },
    };

    static CommandSpec List() => new()
    {
        Name = "ls",
        Aliases = ["list"],
        Use = "[OPTIONS]",
        Short = "List volumes",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"dangling=true\")");
            var format = FormatFlags.Table(flags);
            var quiet = flags.Bool("quiet", 'q', false, "Only display volume names");
            return async inv =>
            {
                var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
                var list = await inv.Client.GetAsync("/volumes", query, DockerJson.Default.VolumeListResponse).ConfigureAwait(false);
                string chosen = ListOutput.Choose(format.Value, quiet.Value, DefaultTable, "{{.Name}}");
                var volumes = (list.Volumes ?? []).OrderBy(v => v.Name, StringComparer.Ordinal);
                ListOutput.Write(inv.Out, chosen, volumes.Select(Row), Headers);
                return 0;
            };
        },
    };

    /// <summary>docker's volumeContext: Links and Size are only known from system df ("N/A" here).</summary>
    internal static TemplateObject Row(Volume v)
    {
        var labels = v.Labels ?? [];
        return new TemplateObject(new JsonObject
        {
            ["Availability"] = "N/A",
            ["Driver"] = v.Driver,
            ["Group"] = "N/A",
            ["Labels"] = string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")),
            ["Links"] = v.UsageData is { } u ? u.RefCount.ToString(CultureInfo.InvariantCulture) : "N/A",
            ["Mountpoint"] = v.Mountpoint,
            ["Name"] = v.Name,
            ["Scope"] = v.Scope,
            ["Size"] = v.UsageData is { Size: not -1 } s ? HumanUnits.Size(s.Size, 4) : "N/A",
            ["Status"] = "N/A",
        }, new Dictionary<string, TemplateFunction> { ["Label"] = ListOutput.LabelMethod(labels) }, "*formatter.volumeContext");
    }

    static CommandSpec Remove() => new()
    {
        Name = "rm",
        Aliases = ["remove"],
        Use = "[OPTIONS] VOLUME [VOLUME...]",
        Short = "Remove one or more volumes",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var force = flags.Bool("force", 'f', false, "Force the removal of one or more volumes");
            return inv => ForEach.RunAsync(inv, inv.Args, name =>
                inv.Client.SendAndDrainAsync("DELETE", "/volumes/" + Query.PathSegment(name), new Query().AddIf(force.Value, "force", "1")));
        },
    };

    static CommandSpec Prune() => new()
    {
        Name = "prune",
        Use = "[OPTIONS]",
        Short = "Remove unused local volumes",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var all = flags.Bool("all", 'a', false, "Remove all unused volumes, not just anonymous ones");
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"label=<label>\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            return async inv =>
            {
                string warning = all.Value
                    ? "WARNING! This will remove all local volumes not used by at least one container."
                    : "WARNING! This will remove anonymous local volumes not used by at least one container.";
                if (!force.Value && !Prompt.Confirm(inv.Cli, warning))
                    return 0;
                if (all.Value)
                    filter.Add("all", "true");
                var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
                var report = await inv.Client.PostAsync("/volumes/prune", query, null, DockerJson.Default.VolumePruneResponse).ConfigureAwait(false);
                if (report.VolumesDeleted is { Count: > 0 } deleted)
                {
                    inv.Out.Write("Deleted Volumes:\n");
                    foreach (string name in deleted)
                        inv.Out.Write(name + "\n");
                    inv.Out.Write("\n");
                }
                inv.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size((long)report.SpaceReclaimed, 4));
                return 0;
            };
        },
    };
}
