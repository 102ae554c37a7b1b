using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>"network inspect": the daemon's JSON of each network as docker's inspect.Inspect prints it.</summary>
internal static partial class NetworkCommands
{
    public static CommandSpec Inspect() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] NETWORK [NETWORK...]",
        Short = "Display detailed information on one or more networks",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            var verbose = flags.Bool("verbose", 'v', false, "Verbose output for diagnostics");
            return inv => InspectAsync(inv, format.Value, verbose.Value);
        },
    };

    static async Task<int> InspectAsync(Invocation inv, string format, bool verbose)
    {
        GoTemplate? template = null;
        if (format.Length > 0 && format != "json")
        {
            try
            {
                template = GoTemplate.Parse(format, missingKey: MissingKeyMode.Error);
            }
            catch (TemplateParseException e)
            {
                throw new CliException("template parsing error: " + e.Message, 64);
            }
        }
        var found = new List<string>();
        var errors = new List<string>();
        var query = verbose ? new Query().Add("verbose", "true") : null;
        foreach (var name in inv.Args)
        {
            try
            {
                found.Add(Encoding.UTF8.GetString(await inv.Client.GetBytesAsync(N(name), query).ConfigureAwait(false)).Trim());
            }
            catch (DaemonException e)
            {
                errors.Add(e.Message);
            }
        }
        if (template is not null)
        {
            var buffer = new StringBuilder();
            foreach (var raw in found)
            {
                try
                {
                    buffer.Append(template.Execute(JsonNode.Parse(raw))).Append('\n');
                }
                catch (TemplateExecutionException e)
                {
                    errors.Add("template parsing error: " + e.Message);
                    break;
                }
            }
            inv.Out.Write(buffer.Length == 0 ? "\n" : buffer.ToString());
        }
        else if (format == "json")
        {
            inv.Out.Write("[" + string.Join(",", found.Select(InspectCommand.Compact)) + "]\n");
        }
        else
        {
            inv.Out.Write(found.Count == 0 ? "[]\n" : JsonIndent.Indent("[" + string.Join(",", found) + "]") + "\n");
        }
        if (errors.Count > 0)
            throw new CliException(string.Join('\n', errors));
        return 0;
    }
}
