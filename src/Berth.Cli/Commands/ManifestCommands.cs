using System.Buffers;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Distribution.Client;

namespace Berth.Cli.Commands;

/// <summary>"berth manifest inspect": as docker's, the client asks the registry itself (no daemon) and prints the manifest.</summary>
internal static class ManifestCommands
{
    public static CommandSpec Group() => new CommandSpec { Name = "manifest", Short = "Manage Docker image manifests and manifest lists" }.Add(Inspect());

    static CommandSpec Inspect() => new()
    {
        Name = "inspect",
        Use = "[OPTIONS] [MANIFEST_LIST] MANIFEST",
        Short = "Display an image manifest, or manifest list",
        Args = ArgsRule.Between(1, 2),
        Setup = flags =>
        {
            var insecure = flags.Bool("insecure", null, false, "Allow communication with an insecure registry");
            var verbose = flags.Bool("verbose", 'v', false, "Output additional info including layers and platform");
            return async inv =>
            {
                if (verbose.Value)
                    throw new CliException("manifest inspect --verbose is not supported by Berth yet: inspect without it for the registry's manifest");
                if (!ImageReference.TryParse(inv.Args[^1], out var parsed, out string error))
                    throw new CliException(error);
                var reference = parsed.WithDefaultTag();
                var credentials = RegistryAuths.Find(inv.Cli.Options.ConfigDirectory(inv.Cli), reference.Domain) is { } stored
                    ? new RegistryCredentials(stored.User, stored.Password)
                    : RegistryCredentials.Anonymous;
                using var client = new RegistryClient(new RegistryHosts(insecure: insecure.Value ? [reference.Domain] : []));
                FetchedManifest? manifest = null;
                RegistryException? unreachable = null;
                // In order, as docker: mirrors, then the registry; an insecure one by https, then http.
                foreach (var session in client.Sessions(reference.Domain, reference.Path, credentials, push: false))
                {
                    try
                    {
                        manifest = await session.GetManifestAsync(reference.Digest ?? reference.Tag!, CancellationToken.None).ConfigureAwait(false);
                        break;
                    }
                    catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
                    {
                        unreachable = null;
                    }
                    catch (RegistryException e) when (e.Kind == RegistryErrorKind.Unavailable)
                    {
                        unreachable = e;
                    }
                    catch (RegistryException e)
                    {
                        throw new CliException(e.Message);
                    }
                }
                if (manifest is null)
                    throw new CliException(unreachable?.Message ?? $"no such manifest: {reference.Name}{(reference.Digest is null ? ":" + reference.Tag : "@" + reference.Digest)}");
                inv.Out.WriteLine(IndentWithTabs(manifest.Bytes));
                return 0;
            };
        },
    };

    /// <summary>The registry's bytes re-indented with tabs, as Go's json.Indent(raw, "", "\t") in docker's manifest inspect.</summary>
    static string IndentWithTabs(byte[] raw)
    {
        using var document = JsonDocument.Parse(raw);
        var buffer = new ArrayBufferWriter<byte>(raw.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentCharacter = '\t',
            IndentSize = 1,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
            document.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
