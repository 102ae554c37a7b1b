using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>pull, push, login, logout (and search, refused): images to and from registries, through the daemon.</summary>
internal static class RegistryCommands
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
                var headers = new Dictionary<string, string> { ["X-Registry-Auth"] = RegistryAuths.Header(inv.Cli.Options.ConfigDirectory(inv.Cli), reference.Domain) };
                using var response = await inv.Client.SendAsync("POST", $"/images/{Query.PathSegment(reference.FamiliarName)}/push", query, headers: headers).ConfigureAwait(false);
                await JsonMessages.DisplayAsync(response.Body, quiet.Value ? null : inv.Out, inv.Cli.StdoutIsTerminal).ConfigureAwait(false);
                if (quiet.Value)
                    inv.Out.WriteLine(reference.ToString());
                return 0;
            };
        },
    };

    public static CommandSpec Login() => new()
    {
        Name = "login",
        Use = "[OPTIONS] [SERVER]",
        Short = "Authenticate to a registry",
        Long = "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
        Args = ArgsRule.AtMost(1),
        Setup = flags =>
        {
            var user = flags.String("username", 'u', "", "Username");
            var password = flags.String("password", 'p', "", "Password or Personal Access Token (PAT)");
            var passwordStdin = flags.Bool("password-stdin", null, false, "Take the Password or Personal Access Token (PAT) from stdin");
            return async inv =>
            {
                string server = inv.Args.Count > 0 ? inv.Args[0] : RegistryAuths.DockerHubKey;
                string domain = DomainOf(server);
                string secret = password.Value;
                if (passwordStdin.Value)
                {
                    if (secret.Length > 0)
                        throw new CliException("--password and --password-stdin are mutually exclusive");
                    if (user.Value.Length == 0)
                        throw new CliException("Must provide --username with --password-stdin");
                    using var reader = new StreamReader(inv.Cli.StdinStream);
                    secret = (await reader.ReadToEndAsync().ConfigureAwait(false)).TrimEnd('\n', '\r');
                }
                string configDirectory = inv.Cli.Options.ConfigDirectory(inv.Cli);
                string name = user.Value;
                if (name.Length == 0 && secret.Length == 0 && RegistryAuths.Find(configDirectory, domain) is { } stored)
                    (name, secret) = stored;
                if (name.Length == 0)
                    throw new CliException("Error: Cannot perform an interactive login from a non TTY device: give --username and --password or --password-stdin");
                if (secret.Length == 0)
                    throw new CliException("Error: Password Required");
                if (password.Value.Length > 0)
                    inv.Err.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
                var body = new JsonObject { ["username"] = name, ["password"] = secret, ["serveraddress"] = RegistryAuths.KeyOf(domain) };
                await inv.Client.PostJsonAsync("/auth", body: RequestBody.Json(body)).ConfigureAwait(false);
                string path = RegistryAuths.Store(configDirectory, domain, name, secret);
                inv.Err.WriteLine($"WARNING! Your credentials are stored unencrypted in '{path}'.");
                inv.Err.WriteLine("Configure a credential helper to remove this warning. See");
                inv.Err.WriteLine("https://docs.docker.com/go/credential-store/");
                inv.Err.WriteLine();
                inv.Out.WriteLine("Login Succeeded");
                return 0;
            };
        },
    };

    public static CommandSpec Logout() => new()
    {
        Name = "logout",
        Use = "[SERVER]",
        Short = "Log out from a registry",
        Long = "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
        Args = ArgsRule.AtMost(1),
        Setup = flags => inv =>
        {
            string domain = DomainOf(inv.Args.Count > 0 ? inv.Args[0] : RegistryAuths.DockerHubKey);
            string key = RegistryAuths.KeyOf(domain);
            if (!RegistryAuths.Erase(inv.Cli.Options.ConfigDirectory(inv.Cli), domain))
            {
                inv.Out.WriteLine($"Not logged in to {key}");
                return Task.FromResult(0);
            }
            inv.Out.WriteLine($"Removing login credentials for {key}");
            return Task.FromResult(0);
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

    /// <summary>The registry a login server names (a URL or a host; Docker Hub's names are all "docker.io").</summary>
    static string DomainOf(string server)
    {
        string value = server.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
            value = new Uri(value).Authority;
        int slash = value.IndexOf('/');
        if (slash >= 0)
            value = value[..slash];
        return value is "" or "index.docker.io" or "registry-1.docker.io" or "docker.io" ? "docker.io" : value;
    }
}
