using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth inspect" and the typed "container inspect" / "image inspect": the daemon's JSON for each object, as one
/// array indented four spaces, or each object through a Go template. Objects that are not found are reported after
/// the output, which still shows the ones found.
/// </summary>
internal static class InspectCommand
{
    static readonly string[] Types = ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];

    public static CommandSpec Any() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] NAME|ID [NAME|ID...]",
        Short = "Return low-level information on Berth objects",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            var size = flags.Bool("size", 's', false, "Display total file sizes if the type is container");
            var type = flags.String("type", null, "", "Only inspect objects of the given type");
            return inv =>
            {
                if (type.Value.Length > 0 && !Types.Contains(type.Value))
                    throw new CliException($"unknown type: \"{type.Value}\": must be one of {string.Join(", ", Types.Select(t => $"\"{t}\""))}");
                return RunAsync(inv, format.Value, name => FindAnyAsync(inv.Client, name, type.Value, size.Value));
            };
        },
    };

    public static CommandSpec Container() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Display detailed information on one or more containers",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            var size = flags.Bool("size", 's', false, "Display total file sizes");
            return inv => RunAsync(inv, format.Value, name => FetchAsync(inv.Client, ContainerPath(name, size.Value)));
        },
    };

    public static CommandSpec Image() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] IMAGE [IMAGE...]",
        Short = "Display detailed information on one or more images",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            var platform = flags.String("platform", null, "", "Inspect a specific platform of the multi-platform image.\nIf the image or the server is not multi-platform capable, the command will error out if the platform does not match.\n'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)");
            return inv => RunAsync(inv, format.Value, name => FetchAsync(inv.Client, ImagePath(name, platform.Value)));
        },
    };

    static (string, Query?) ContainerPath(string name, bool size) =>
        ($"/containers/{Query.PathSegment(name)}/json", size ? new Query().Add("size", "1") : null);

    static (string, Query?) ImagePath(string name, string platform = "") =>
        ($"/images/{Query.PathSegment(name)}/json", platform.Length > 0 ? new Query().Add("platform", ImagesCommand.PlatformJson(platform)) : null);

    static async Task<string> FetchAsync(DaemonClient client, (string Path, Query? Query) target)
    {
        byte[] raw = await client.GetBytesAsync(target.Path, target.Query).ConfigureAwait(false);
        return Encoding.UTF8.GetString(raw).Trim();
    }

    /// <summary>Each type in docker's order until one knows the name; "Error: No such object" when none does.</summary>
    static async Task<string> FindAnyAsync(DaemonClient client, string name, string type, bool size)
    {
        var candidates = new List<(string Type, (string, Query?) Target)>
        {
            ("container", ContainerPath(name, size)),
            ("image", ImagePath(name)),
            ("network", ($"/networks/{Query.PathSegment(name)}", null)),
            ("volume", ($"/volumes/{Query.PathSegment(name)}", null)),
            ("plugin", ($"/plugins/{Query.PathSegment(name)}/json", null)),
        };
        foreach (var (candidate, target) in candidates)
        {
            if (type.Length > 0 && type != candidate)
                continue;
            try
            {
                return await FetchAsync(client, target).ConfigureAwait(false);
            }
            catch (DaemonException e) when (type.Length == 0 && (e.IsNotFound || e.Status is 400 or 501 or 503))
            {
                // Not this kind of object (or an API this daemon does not serve): the next kind.
            }
        }
        throw new DaemonException(404, "") { };
    }

    static async Task<int> RunAsync(Invocation inv, string format, Func<string, Task<string>> fetch)
    {
        var found = new List<string>();
        var errors = new List<string>();
        foreach (var name in inv.Args)
        {
            try
            {
                found.Add(await fetch(name).ConfigureAwait(false));
            }
            catch (DaemonException e) when (e.IsNotFound)
            {
                errors.Add(e.DaemonMessage.Length == 0 ? $"Error: No such object: {name}" : e.Message);
            }
        }
        string? templateError = null;
        if (format.Length == 0)
        {
            inv.Out.Write(found.Count == 0 ? "[]\n" : JsonIndent.Indent("[" + string.Join(",", found) + "]") + "\n");
        }
        else if (format == "json")
        {
            inv.Out.Write("[" + string.Join(",", found.Select(Compact)) + "]\n");
        }
        else
        {
            var template = GoTemplate.Parse(format, missingKey: MissingKeyMode.Error);
            var buffer = new StringBuilder();
            foreach (var raw in found)
            {
                try
                {
                    buffer.Append(template.Execute(JsonNode.Parse(raw))).Append('\n');
                }
                catch (TemplateExecutionException e)
                {
                    templateError = "template parsing error: " + e.Message;
                    break;
                }
            }
            inv.Out.Write(buffer.Length == 0 ? "\n" : buffer.ToString());
        }
        if (templateError is not null)
            throw new CliException(templateError);
        if (errors.Count > 0)
            throw new CliException(string.Join('\n', errors));
        return 0;
    }

    /// <summary>json.Compact: the daemon's text without the whitespace between tokens, strings untouched.</summary>
    internal static string Compact(string json)
    {
        var sb = new StringBuilder(json.Length);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                    sb.Append(json[++i]);
                else if (c == '"')
                    inString = false;
            }
            else if (c == '"')
            {
                inString = true;
                sb.Append(c);
            }
            else if (c is not (' ' or '\n' or '\r' or '\t'))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
