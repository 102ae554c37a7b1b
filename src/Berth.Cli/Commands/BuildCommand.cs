using System.IO.Pipelines;
using System.Text.Json.Nodes;
using Berth.Build.Context;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth build</c>: docker's legacy build client. The context directory is packed as the docker CLI packs it
/// (.dockerignore applied) and streamed to <c>POST /build</c>; the daemon's messages are shown as they come, a
/// failing step's exit code becomes ours. <c>--secret</c> (buildx's syntax) needs berthd, which takes the secrets ahead
/// of the build on an endpoint of its own.
/// </summary>
internal static class BuildCommand
{
    public static CommandSpec Spec(bool top) => new()
    {
        Name = "build",
        Category = top ? CommandCategory.Top : CommandCategory.Plain,
        TopOrder = 4,
        Use = "[OPTIONS] PATH | URL | -",
        Short = "Build an image from a Dockerfile",
        AliasesLine = "{0} image build, {0} build, {0} builder build",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var buildArgs = flags.List("build-arg", null, "Set build-time variables");
            var cacheFrom = flags.List("cache-from", null, "Images to consider as cache sources");
            var file = flags.String("file", 'f', "", "Name of the Dockerfile (Default is \"PATH/Dockerfile\")");
            var forceRm = flags.Bool("force-rm", null, false, "Always remove intermediate containers");
            var iidFile = flags.String("iidfile", null, "", "Write the image ID to the file");
            var labels = flags.List("label", null, "Set metadata for an image");
            var network = flags.String("network", null, "default", "Set the networking mode for the RUN instructions during build");
            var noCache = flags.Bool("no-cache", null, false, "Do not use cache when building the image");
            var platform = flags.String("platform", null, "", "Set platform if server is multi-platform capable");
            var pull = flags.Bool("pull", null, false, "Always attempt to pull a newer version of the image");
            var quiet = flags.Bool("quiet", 'q', false, "Suppress the build output and print image ID on success");
            var rm = flags.Bool("rm", null, true, "Remove intermediate containers after a successful build");
            var secrets = flags.List("secret", null, "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")");
            var tags = flags.List("tag", 't', "Name and optionally a tag in the \"name:tag\" format");
            var target = flags.String("target", null, "", "Set the target build stage to build.");
            return async inv =>
            {
                var cli = inv.Cli;
                string path = inv.Args[0];
                var query = new Query();
                foreach (string tag in tags.Value)
                {
                    if (!ImageReference.TryParse(tag, out _, out var error))
                        throw new CliException($"invalid argument \"{tag}\" for \"-t, --tag\" flag: {error}");
                    query.Add("t", tag);
                }
                var args = new JsonObject();
                foreach (string arg in buildArgs.Value)
                {
                    int eq = arg.IndexOf('=');
                    // docker: NAME alone takes the value from the environment, and is left out when unset there.
                    string? value = eq >= 0 ? arg[(eq + 1)..] : Environment.GetEnvironmentVariable(arg);
                    args[eq >= 0 ? arg[..eq] : arg] = value;
                }
                // As buildx does: the client's SOURCE_DATE_EPOCH makes a reproducible build unless an arg sets it.
                if (!args.ContainsKey("SOURCE_DATE_EPOCH") && Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } epoch)
                    args["SOURCE_DATE_EPOCH"] = epoch;
                var labelMap = new JsonObject();
                foreach (string label in labels.Value)
                {
                    int eq = label.IndexOf('=');
                    labelMap[eq >= 0 ? label[..eq] : label] = eq >= 0 ? label[(eq + 1)..] : "";
                }
                string dockerfile = DockerfileIn(path, file.Value);
                query.AddIfNotEmpty("dockerfile", dockerfile)
                    .Add("buildargs", args.ToJsonString())
                    .Add("labels", labelMap.ToJsonString())
                    .AddIfNotEmpty("target", target.Value)
                    .AddIf(noCache.Value, "nocache", "1")
                    .AddIf(pull.Value, "pull", "1")
                    .AddIf(quiet.Value, "q", "1")
                    .Add("rm", rm.Value ? "1" : "0")
                    .AddIf(forceRm.Value, "forcerm", "1")
                    .AddIf(network.Value is not ("" or "default"), "networkmode", network.Value)
                    .AddIfNotEmpty("platform", platform.Value)
                    .Add("cachefrom", new JsonArray([.. cacheFrom.Value.Select(c => (JsonNode?)JsonValue.Create(c))]).ToJsonString());

                // The secrets go first, on their own: never into the context, and a daemon without the endpoint
                // (dockerd) fails the build before any context is packed.
                var secretValues = BuildSecret.Load(secrets.Value);
                if (secretValues.Count > 0)
                    query.Add("berthsecrets", await SendSecretsAsync(cli, secretValues).ConfigureAwait(false));

                var packOptions = new PackOptions { Dockerfile = dockerfile.Length == 0 ? "Dockerfile" : dockerfile };
                var offer = path == "-" ? null : await OfferAsync(cli, path, packOptions).ConfigureAwait(false);
                query.AddIf(offer is not null, "berthcontext", offer?.Session ?? "");
                var (body, packing, sent) = ContextBody(cli, path, packOptions, offer?.Files);
                string? imageId = null;
                using (body)
                {
                    // As docker's classic build: every registry's credentials, for the daemon to pull FROM images with.
                    var headers = new Dictionary<string, string> { ["X-Registry-Config"] = RegistryAuths.BuildHeader(cli) };
                    using var response = await cli.Client.SendAsync("POST", "/build", query, RequestBody.FromStream(body), headers).ConfigureAwait(false);
                    await packing.ConfigureAwait(false);
                    // docker's progress line: its last update ends with "\r", then the line ends.
                    if (!quiet.Value && path != "-")
                        cli.Out.Write($"Sending build context to Docker daemon  {HumanUnits.Size(sent(), 4)}\r\r\n");
                    // Quiet: the daemon streams only the image ID, which is what is printed and kept. A terminal
                    // gets the live display; a pipe the stream's lines as they come.
                    var size = cli.StdoutIsTerminal ? Berth.Linux.Terminal.GetSize(1) : null;
                    using var progress = quiet.Value || size is null ? null : new BuildProgress(cli.Out, size.Value.Columns, size.Value.Rows);
                    TextWriter shown = quiet.Value ? new StringWriter() : progress ?? cli.Out;
                    try
                    {
                        await JsonMessages.DisplayAsync(response.Body, shown, cli.StdoutIsTerminal, aux =>
                        {
                            if (aux["ID"]?.GetValue<string>() is { } id)
                                imageId = id;
                        }).ConfigureAwait(false);
                    }
                    catch (CliException)
                    {
                        progress?.Finish(failed: true);
                        throw;
                    }
                    progress?.Finish(failed: false);
                    if (quiet.Value)
                    {
                        string printed = shown.ToString()!.Trim();
                        imageId ??= printed;
                        cli.Out.Write(printed + "\n");
                    }
                }
                if (iidFile.Value.Length > 0 && imageId is not null)
                    await File.WriteAllTextAsync(iidFile.Value, imageId).ConfigureAwait(false);
                return 0;
            };
        },
    };

    /// <summary>The Dockerfile's name relative to the context, as the docker CLI sends it; empty: the default.</summary>
    static string DockerfileIn(string context, string file)
    {
        if (file.Length == 0 || context == "-")
            return file;
        string full = Path.GetFullPath(file);
        string root = Path.GetFullPath(context);
        string relative = Path.GetRelativePath(root, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new CliException($"the Dockerfile ({file}) must be within the build context ({context})");
        return relative;
    }

    /// <summary>
    /// berthd keeps the contexts it was sent: the directory's manifest goes first, and only the files the daemon has
    /// no current copy of are packed (their session is the build's <c>berthcontext</c>). Null when the daemon has no
    /// such endpoint (dockerd): the whole context is sent, as docker does.
    /// </summary>
    static async Task<(string Session, HashSet<string> Files)?> OfferAsync(CliContext cli, string path, PackOptions options)
    {
        if (!Directory.Exists(path))
            return null; // the error is ContextBody's
        ContextManifest manifest;
        try
        {
            manifest = ContextPacker.Scan(path, options);
        }
        catch (Exception e) when (e is BuildContextException or IOException or Berth.Linux.LinuxException)
        {
            throw new CliException($"unable to prepare context: {e.Message}");
        }
        // The directory as this machine names it: the same directory finds the copy the daemon kept of it.
        string key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Environment.MachineName}\0{Path.GetFullPath(path)}")))[..32];
        ContextOffer offer;
        try
        {
            using var response = await cli.Client.SendAsync("POST", "/berth/build/context", new Query().Add("key", key),
                RequestBody.FromBytes(manifest.ToArray(), "application/octet-stream")).ConfigureAwait(false);
            offer = ContextOffer.FromJson(await response.ReadBytesAsync().ConfigureAwait(false));
        }
        catch (DaemonException e) when (e.IsNotFound)
        {
            return null;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"unable to prepare context: the daemon's answer to the context's manifest: {e.Message}");
        }
        var files = new HashSet<string>(offer.Needed.Count, StringComparer.Ordinal);
        foreach (int i in offer.Needed)
        {
            if (i < 0 || i >= manifest.Entries.Count)
                throw new CliException($"unable to prepare context: the daemon asked for entry {i} of {manifest.Entries.Count}");
            files.Add(manifest.Entries[i].Path);
        }
        return (offer.Session, files);
    }

    /// <summary>
    /// Sends the build's secrets to berthd (<c>POST /berth/build/secrets</c>, base64 by id), which keeps them in
    /// memory for the build that names the session it answers. A daemon without it (dockerd) cannot take secrets:
    /// the legacy build API has no place for them, and dropping them silently would build something else.
    /// </summary>
    static async Task<string> SendSecretsAsync(CliContext cli, Dictionary<string, byte[]> secrets)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (id, content) in secrets)
                writer.WriteBase64String(id, content);
            writer.WriteEndObject();
        }
        byte[] body = buffer.WrittenSpan.ToArray();
        try
        {
            using var response = await cli.Client.SendAsync("POST", "/berth/build/secrets", new Query(), RequestBody.FromBytes(body, "application/json")).ConfigureAwait(false);
            var answer = JsonNode.Parse(await response.ReadBytesAsync().ConfigureAwait(false));
            return answer?["Session"]?.GetValue<string>() is { Length: > 0 } session
                ? session
                : throw new CliException("--secret: berthd answered the secrets without a session");
        }
        catch (DaemonException e) when (e.IsNotFound)
        {
            throw new CliException("--secret requires berthd: this daemon's build API (Docker's legacy builder) carries no secrets");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"--secret: the daemon's answer to the secrets: {e.Message}");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body);
            buffer.Clear();
        }
    }

    /// <summary>
    /// The request body: stdin as it is for <c>-</c>, else the directory packed on another thread as it is read
    /// (with <paramref name="files"/>, only those of its regular files).
    /// </summary>
    static (Stream Body, Task Packing, Func<long> Sent) ContextBody(CliContext cli, string path, PackOptions options, IReadOnlySet<string>? files)
    {
        if (path == "-")
            return (cli.StdinStream, Task.CompletedTask, () => 0);
        if (!Directory.Exists(path))
            throw new CliException($"unable to prepare context: path \"{path}\" not found");
        var pipe = new Pipe();
        long sent = 0;
        var packing = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await using var output = new CountingStream(pipe.Writer.AsStream(), n => sent += n);
                ContextPacker.Pack(path, output, options, files);
            }
            catch (Exception e)
            {
                error = e;
            }
            await pipe.Writer.CompleteAsync(error);
            if (error is not null)
                throw new CliException($"unable to prepare context: {error.Message}");
        });
        return (pipe.Reader.AsStream(), packing, () => sent);
    }

    /// <summary>Counts what passes through, for the "Sending build context" line.</summary>
    sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            counted(buffer.Length);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
