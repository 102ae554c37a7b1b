using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>rmi, tag, save, load, import, export, commit: images in and out of the daemon.</summary>
internal static class ImageCommands
{
    public static CommandSpec Remove(string name, string[] aliases, string aliasesLine) => new()
    {
        Name = name,
        Aliases = aliases,
        Use = "[OPTIONS] IMAGE [IMAGE...]",
        Short = "Remove one or more images",
        AliasesLine = aliasesLine,
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var force = flags.Bool("force", 'f', false, "Force removal of the image");
            var noPrune = flags.Bool("no-prune", null, false, "Do not delete untagged parents");
            var platforms = flags.StringSlice("platform", null, "Remove only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")");
            return async inv =>
            {
                var errors = new List<string>();
                foreach (var image in inv.Args)
                {
                    var query = new Query().AddIf(force.Value, "force", "1").AddIf(noPrune.Value, "noprune", "1");
                    foreach (var p in platforms.Value)
                        query.Add("platforms", ImagesCommand.PlatformJson(p));
                    try
                    {
                        using var response = await inv.Client.SendAsync("DELETE", "/images/" + Query.PathSegment(image), query).ConfigureAwait(false);
                        var items = DaemonClientTyped.Decode(await response.ReadBytesAsync().ConfigureAwait(false), DockerJson.Default.ListImageDeleteResponseItem, () => []);
                        foreach (var item in items)
                        {
                            if (!string.IsNullOrEmpty(item.Deleted))
                                inv.Out.WriteLine("Deleted: " + item.Deleted);
                            else if (!string.IsNullOrEmpty(item.Untagged))
                                inv.Out.WriteLine("Untagged: " + item.Untagged);
                        }
                    }
                    catch (DaemonException e)
                    {
                        errors.Add(e.Message);
                    }
                }
                if (errors.Count > 0)
                    throw new CliException(string.Join('\n', errors));
                return 0;
            };
        },
    };

    public static CommandSpec Tag() => new()
    {
        Name = "tag",
        Use = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        Short = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        AliasesLine = "{0} image tag, {0} tag",
        Args = ArgsRule.Exactly(2),
        Setup = flags => async inv =>
        {
            string source = inv.Args[0];
            string target = inv.Args[1];
            if (!ImageReference.TryParse(source, out _, out _) && !IsHexId(source))
                throw new CliException($"Error parsing reference: {Templates.GoQuote.Quote(source)} is not a valid repository/tag: invalid reference format");
            if (!ImageReference.TryParse(target, out var reference, out var error))
                throw new CliException($"Error parsing reference: {Templates.GoQuote.Quote(target)} is not a valid repository/tag: {error}");
            if (reference.Digest is not null)
                throw new CliException("refusing to create a tag with a digest reference");
            reference = reference.WithDefaultTag();
            var query = new Query().Add("repo", reference.Name).Add("tag", reference.Tag!);
            await inv.Client.SendAndDrainAsync("POST", $"/images/{Query.PathSegment(source)}/tag", query).ConfigureAwait(false);
            return 0;
        },
    };

    static bool IsHexId(string s)
    {
        string id = s.StartsWith("sha256:", StringComparison.Ordinal) ? s[7..] : s;
        return id.Length > 0 && id.All(char.IsAsciiHexDigitLower);
    }

    public static CommandSpec Save() => new()
    {
        Name = "save",
        Use = "[OPTIONS] IMAGE [IMAGE...]",
        Short = "Save one or more images to a tar archive (streamed to STDOUT by default)",
        AliasesLine = "{0} image save, {0} save",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var output = flags.String("output", 'o', "", "Write to a file, instead of STDOUT");
            var platform = flags.String("platform", null, "", "Save only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")");
            return async inv =>
            {
                if (output.Value.Length == 0 && inv.Cli.StdoutIsTerminal)
                    throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
                var query = new Query();
                foreach (var name in inv.Args)
                    query.Add("names", name);
                if (platform.Value.Length > 0)
                    query.Add("platform", ImagesCommand.PlatformJson(platform.Value));
                using var response = await inv.Client.SendAsync("GET", "/images/get", query).ConfigureAwait(false);
                await Download.ToOutputAsync(inv.Cli, response.Body, output.Value).ConfigureAwait(false);
                return 0;
            };
        },
    };

    public static CommandSpec Export() => new()
    {
        Name = "export",
        Use = "[OPTIONS] CONTAINER",
        Short = "Export a container's filesystem as a tar archive",
        AliasesLine = "{0} container export, {0} export",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var output = flags.String("output", 'o', "", "Write to a file, instead of STDOUT");
            return async inv =>
            {
                if (output.Value.Length == 0 && inv.Cli.StdoutIsTerminal)
                    throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
                using var response = await inv.Client.SendAsync("GET", $"/containers/{Query.PathSegment(inv.Args[0])}/export").ConfigureAwait(false);
                await Download.ToOutputAsync(inv.Cli, response.Body, output.Value).ConfigureAwait(false);
                return 0;
            };
        },
    };

    public static CommandSpec Load() => new()
    {
        Name = "load",
        Use = "[OPTIONS]",
        Short = "Load an image from a tar archive or STDIN",
        AliasesLine = "{0} image load, {0} load",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var input = flags.String("input", 'i', "", "Read from tar archive file, instead of STDIN");
            var platform = flags.String("platform", null, "", "Load only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")");
            var quiet = flags.Bool("quiet", 'q', false, "Suppress the load output");
            return async inv =>
            {
                var cli = inv.Cli;
                Stream body;
                if (input.Value.Length > 0)
                {
                    try
                    {
                        body = File.OpenRead(input.Value);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new CliException($"open {input.Value}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
                    }
                }
                else
                {
                    if (cli.StdinIsTerminal)
                        throw new CliException("requested load from stdin, but stdin is empty");
                    body = cli.StdinStream;
                }
                using (body)
                {
                    // docker asks for quiet output unless stdout is a terminal that would show progress.
                    var query = new Query().AddIf(quiet.Value || !cli.StdoutIsTerminal, "quiet", "1");
                    if (platform.Value.Length > 0)
                        query.Add("platform", ImagesCommand.PlatformJson(platform.Value));
                    using var response = await cli.Client.SendAsync("POST", "/images/load", query, RequestBody.FromStream(body)).ConfigureAwait(false);
                    if ((response.Header("Content-Type") ?? "").StartsWith("application/json", StringComparison.Ordinal))
                        await JsonMessages.DisplayAsync(response.Body, cli.Out, cli.StdoutIsTerminal).ConfigureAwait(false);
                    else
                        inv.Out.Write(await response.ReadStringAsync().ConfigureAwait(false));
                }
                return 0;
            };
        },
    };

    public static CommandSpec Import() => new()
    {
        Name = "import",
        Use = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
        Short = "Import the contents from a tarball to create a filesystem image",
        AliasesLine = "{0} image import, {0} import",
        Args = ArgsRule.Between(1, 2),
        Setup = flags =>
        {
            var changes = flags.List("change", 'c', "Apply Dockerfile instruction to the created image");
            var message = flags.String("message", 'm', "", "Set commit message for imported image");
            var platform = flags.String("platform", null, "", "Set platform if server is multi-platform capable");
            return async inv =>
            {
                var cli = inv.Cli;
                string source = inv.Args[0];
                var query = new Query();
                if (inv.Args.Count > 1)
                {
                    if (!ImageReference.TryParse(inv.Args[1], out var reference, out var error))
                        throw new CliException(error);
                    query.Add("repo", reference.Name);
                    if (reference.Tag is not null)
                        query.Add("tag", reference.Tag);
                }
                query.AddIfNotEmpty("message", message.Value).AddIfNotEmpty("platform", platform.Value);
                foreach (var change in changes.Value)
                    query.Add("changes", change);
                Stream? body = null;
                if (source == "-")
                {
                    body = cli.StdinStream;
                    query.Add("fromSrc", "-");
                }
                else if (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal))
                {
                    query.Add("fromSrc", source);
                }
                else
                {
                    try
                    {
                        body = File.OpenRead(source);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new CliException($"open {source}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
                    }
                    query.Add("fromSrc", "-");
                }
                using (body)
                {
                    using var response = await cli.Client.SendAsync("POST", "/images/create", query, body is null ? null : RequestBody.FromStream(body)).ConfigureAwait(false);
                    await JsonMessages.DisplayAsync(response.Body, cli.Out, cli.StdoutIsTerminal).ConfigureAwait(false);
                }
                return 0;
            };
        },
    };

    public static CommandSpec Commit() => new()
    {
        Name = "commit",
        Use = "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        Short = "Create a new image from a container's changes",
        AliasesLine = "{0} container commit, {0} commit",
        Args = ArgsRule.Between(1, 2),
        Setup = flags =>
        {
            var author = flags.String("author", 'a', "", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
            var changes = flags.List("change", 'c', "Apply Dockerfile instruction to the created image");
            var message = flags.String("message", 'm', "", "Commit message");
            var pause = flags.Bool("pause", 'p', true, "Pause container during commit");
            return async inv =>
            {
                var query = new Query().Add("container", inv.Args[0]);
                if (inv.Args.Count > 1)
                {
                    if (!ImageReference.TryParse(inv.Args[1], out var reference, out var error))
                        throw new CliException(error);
                    if (reference.Digest is not null)
                        throw new CliException("refusing to create a tag with a digest reference");
                    reference = reference.WithDefaultTag();
                    query.Add("repo", reference.Name).Add("tag", reference.Tag!);
                }
                query.AddIfNotEmpty("comment", message.Value).AddIfNotEmpty("author", author.Value).AddIf(!pause.Value, "pause", "0");
                foreach (var change in changes.Value)
                    query.Add("changes", change);
                var json = await inv.Client.PostJsonAsync("/commit", query).ConfigureAwait(false);
                inv.Out.WriteLine(json?["Id"] is JsonValue id && id.TryGetValue(out string? s) ? s : "");
                return 0;
            };
        },
    };
}
