using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>pull, push, login, logout (RegistryCommands.Login.cs) and search, refused: images to and from registries, through the daemon.</summary>
internal static partial class RegistryCommands
{
    public static CommandSpec Pull() => new()
    {
        Name = "pull",
        Use = "[OPTIONS] NAME[:TAG|@DIGEST]",
        Short = "Download an image from a registry",
        AliasesLine = "{0} image pull, {0} pull",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var allTags = flags.Bool("all-tags", 'a', false, "Download all tagged images in the repository");
            flags.Bool("disable-content-trust", null, true, "Skip image verification");
            var platform = flags.String("platform", null, "", "Set platform if server is multi-platform capable");
            var quiet = flags.Bool("quiet", 'q', false, "Suppress verbose output");
            return async inv =>
            {
                var reference = ParseReference(inv.Args[0]);
                if (allTags.Value && (reference.Tag is not null || reference.Digest is not null))
                    throw new CliException("tag can't be used with --all-tags/-a");
                if (!allTags.Value)
                    reference = reference.WithDefaultTag();
                await ImagePull.PullAsync(inv.Cli, reference, platform.Value, quiet.Value, inv.Out, allTags.Value).ConfigureAwait(false);
                inv.Out.WriteLine(Canonical(reference));
                return 0;
            };
        },
    };

    public static CommandSpec Push() => new()
    {
        Name = "push",
        Use = "[OPTIONS] NAME[:TAG]",
        Short = "Upload an image to a registry",
        AliasesLine = "{0} image push, {0} push",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var allTags = flags.Bool("all-tags", 'a', false, "Push all tags of an image to the repository");
            flags.Bool("disable-content-trust", null, true, "Skip image signing");
            var platform = flags.String("platform", null, "", "Push a platform-specific manifest as a single-platform image to the registry.\nImage index won't be pushed, meaning that other manifests, including attestations won't be preserved.\n'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)");
            var quiet = flags.Bool("quiet", 'q', false, "Suppress verbose output");
            return async inv =>
            {
                var reference = ParseReference(inv.Args[0]);
                if (reference.Digest is not null)
                    throw new CliException("cannot push a digest reference");
                if (platform.Value.Length > 0)
                    throw new CliException("--platform is not supported by Berth's push: its images have one platform each");
                if (allTags.Value && reference.Tag is not null)
                    throw new CliException("tag can't be used with --all-tags/-a");
                if (!allTags.Value)
                    reference = reference.WithDefaultTag();
                var query = new Query().AddIfNotEmpty("tag", reference.Tag ?? "");
                var headers = new Dictionary<string, string> { ["X-Registry-Auth"] = RegistryAuths.Header(inv.Cli, reference.Domain) };
                using var response = await inv.Client.SendAsync("POST", $"/images/{Query.PathSegment(reference.FamiliarName)}/push", query, headers: headers).ConfigureAwait(false);
                await JsonMessages.DisplayAsync(response.Body, quiet.Value ? null : inv.Out, inv.Cli.StdoutIsTerminal).ConfigureAwait(false);
                if (quiet.Value)
                    inv.Out.WriteLine(reference.ToString());
                return 0;
            };
        },
    };

    public static CommandSpec Search() => new()
    {
        Name = "search",
        Use = "[OPTIONS] TERM",
        Short = "Search Docker Hub for images",
        Args = ArgsRule.Any,
        Setup = flags =>
        {
            FilterArgs.Define(flags);
            flags.String("format", null, "", "Pretty-print search using a Go template");
            flags.Int("limit", null, 0, "Max number of search results");
            flags.Bool("no-trunc", null, false, "Don't truncate output");
            return inv => throw new CliException("search is not supported by Berth: registries have no common search API (Docker Hub's is its own); browse the registry instead");
        },
    };

    static ImageReference ParseReference(string text)
    {
        if (!ImageReference.TryParse(text, out var reference, out string error))
            throw new CliException($"invalid reference format: {error}".Replace("invalid reference format: invalid reference format", "invalid reference format"));
        return reference;
    }

    /// <summary>What docker pull prints last: the full name (docker.io/library/busybox:latest).</summary>
    static string Canonical(ImageReference reference)
        => reference.Name + (reference.Tag is null ? "" : ":" + reference.Tag) + (reference.Digest is null ? "" : "@" + reference.Digest);
}
