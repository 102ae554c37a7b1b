using System.Globalization;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

/// <summary>
/// One stage being built: the image so far, its config as the instructions change it, the ARGs in scope; each
/// instruction dispatched in turn, its result looked up in the cache or made.
/// </summary>
internal sealed partial class StageRun(
    Builder builder,
    DockerfileDocument document,
    Stage stage,
    BuildContext context,
    BuildOptions options,
    IReadOnlyDictionary<string, string> metaArgs,
    HashSet<string> consumedArgs,
    IReadOnlyDictionary<int, Image?> built,
    ShellLex lex,
    IBuildOutput output,
    Builder.StepCounter steps,
    IReadOnlyList<Image> cacheSources)
{
    static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    Image? _image;
    ImageConfig _imageConfig = new();
    // The config as this stage's instructions make it (moby's dispatch state, shared with commit --change).
    RunConfig _dispatch = new(new ExecutionConfig(), lex);

    // The ARGs declared in this stage, in order, with their values (null: declared without one).
    readonly List<KeyValuePair<string, string?>> _args = [];

    ExecutionConfig CurrentConfig => _dispatch.Current;

    /// <summary>Starts the dispatch state afresh from <paramref name="config"/> (a stage's start).</summary>
    void Reset(ExecutionConfig config) => _dispatch = new RunConfig(config, lex);

    /// <summary>SOURCE_DATE_EPOCH (a build arg, as buildkit takes it): every time the build writes.</summary>
    readonly DateTimeOffset? _epoch = options.BuildArgs.TryGetValue("SOURCE_DATE_EPOCH", out string? epoch) && epoch is not null
        ? long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : throw new BuildException($"invalid SOURCE_DATE_EPOCH: {epoch}")
        : null;

    DateTimeOffset Now => _epoch ?? DateTimeOffset.UtcNow;

    IReadOnlyList<string> Shell => CurrentConfig.Shell is { Count: > 0 } shell ? shell : DefaultShell;

    public async Task<Image?> BuildAsync(CancellationToken ct)
    {
        await FromAsync(ct);
        foreach (var instruction in stage.Instructions)
        {
            await output.WriteAsync(steps.Next(instruction), ct);
            try
            {
                await DispatchAsync(instruction, ct);
            }
            catch (BuildException e) when (e.Location is null)
            {
                throw new BuildException(Where(instruction) + e.Message, e.Code, instruction.Location, e);
            }
            catch (DockerfileException e) when (e.Location is null)
            {
                throw new DockerfileException(e.Message, instruction.Location);
            }
            catch (BuildContextException e)
            {
                throw new BuildException(Where(instruction) + e.Message, 1, instruction.Location, e);
            }
        }
        return _image;
    }

    /// <summary>Where a step failed, before Docker's words for how: <c>Dockerfile:3 (RUN make): </c>.</summary>
    static string Where(Instruction instruction) => $"{instruction.Location.File}:{instruction.Location.StartLine} ({instruction.Original}): ";

    async Task FromAsync(CancellationToken ct)
    {
        var from = stage.From;
        await output.WriteAsync(steps.Next(from), ct);
        string name = lex.ProcessWord(from.Image, metaArgs);
        if (name.Length == 0)
            throw new BuildException($"base name ({from.Image}) should not be blank", location: from.Location);
        if (StagePlan.Find(document.Stages, name, stage.Index) is { } parent)
        {
            _image = built.TryGetValue(parent.Index, out var image) ? image : throw new BuildException($"stage {name} was not built", location: from.Location);
        }
        else if (!string.Equals(name, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            string? platform = from.Platform is { } p ? lex.ProcessWord(p, metaArgs) : options.Platform;
            _image = await builder.Worker.GetImageAsync(name, options.Pull, platform, output, ct);
        }
        if (_image is not null)
        {
            _imageConfig = _image.Config;
            Reset(_image.Config.Config ?? new ExecutionConfig());
            await output.WriteAsync($" ---> {_image.ShortId}\n", ct);
        }
        SetDefaultPath();
        if (_image is not null)
            await RunTriggersAsync(ct);
    }

    /// <summary>moby's setDefaultPath: a stage whose image has no PATH gets the default one, which its image keeps.</summary>
    void SetDefaultPath()
    {
        var env = CurrentConfig.Env ?? [];
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal) || e == "PATH"))
            Reset(CurrentConfig with { Env = [.. env, "PATH=" + DefaultPath] });
    }

    const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The base image's ONBUILD triggers run first, and are not inherited (Docker's rule).</summary>
    async Task RunTriggersAsync(CancellationToken ct)
    {
        if (CurrentConfig.OnBuild is not { Count: > 0 } triggers)
            return;
        Reset(CurrentConfig with { OnBuild = null });
        await output.WriteAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n", ct);
        foreach (string trigger in triggers)
        {
            var parsed = DockerfileParser.Parse("FROM scratch\n" + trigger, "ONBUILD");
            foreach (var instruction in parsed.Stages[0].Instructions)
                await DispatchAsync(instruction, ct);
        }
    }

    /// <summary>What variables expand to here: the build args in scope, overridden by the config's Env.</summary>
    Dictionary<string, string> ExpansionEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in ArgsInScope())
            env[name] = value;
        foreach (string entry in CurrentConfig.Env ?? [])
        {
            int eq = entry.IndexOf('=');
            env[eq < 0 ? entry : entry[..eq]] = eq < 0 ? "" : entry[(eq + 1)..];
        }
        return env;
    }

    /// <summary>The declared ARGs that have a value, and the builtin proxy args given: what RUN sees and what expands.</summary>
    IEnumerable<KeyValuePair<string, string>> ArgsInScope()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = _args.Count - 1; i >= 0; i--)
        {
            var (name, value) = _args[i];
            if (seen.Add(name) && value is not null)
                yield return new(name, value);
        }
        foreach (var (name, value) in options.BuildArgs)
        {
            if (Builder.BuiltinArgs.Contains(name) && value is not null && seen.Add(name))
                yield return new(name, value);
        }
    }

    Task DispatchAsync(Instruction raw, CancellationToken ct)
    {
        var env = ExpansionEnvironment();
        var instruction = raw.Expand(word => lex.ProcessWord(word, env));
        return instruction switch
        {
            RunInstruction run => RunAsync(run, ct),
            CopyInstruction copy => CopyAsync(copy, ct),
            WorkdirInstruction workdir => WorkdirAsync(workdir, ct),
            ArgInstruction arg => ArgAsync(arg, ct),
            FromInstruction => throw new BuildException("FROM inside a stage", location: raw.Location),
            _ => ConfigAsync(instruction, ct),
        };
    }

    /// <summary>Reports a step's result: its image, and whether it came from the cache.</summary>
    async Task StepDoneAsync(Image image, bool cached, CancellationToken ct)
    {
        _image = image;
        _imageConfig = image.Config;
        if (cached)
            await output.WriteAsync(" ---> Using cache\n", ct);
        await output.WriteAsync($" ---> {image.ShortId}\n", ct);
    }

    /// <summary>
    /// The image a step made before: the one its cache key names, if caching is on and that image is still in the
    /// store; else, with <c>--cache-from</c>, what one of those images made at this step (Docker's history cache: an
    /// image whose history and layers go on from the current image's, with this step's created_by next, stands in
    /// for it; pulled and loaded images, which have no parent, count as much as ones built here).
    /// </summary>
    Image? Cached(string key, string createdBy)
    {
        if (options.NoCache)
            return null;
        if (builder.Cache.Lookup(key) is { } id && builder.Images.TryGet(id) is { } image)
            return image;
        var parentHistory = _image?.Config.History ?? [];
        foreach (var source in cacheSources)
        {
            var history = source.Config.History ?? [];
            int next = parentHistory.Count;
            if (next >= history.Count || history[next].CreatedBy != createdBy || !GoesOnFrom(source, _image))
                continue;
            var found = next == history.Count - 1 ? source
                : builder.Images.CommitFromHistory(_image, source, next, _imageConfig with { Config = CurrentConfig });
            builder.Cache.Store(key, found.Id.ToString());
            return found;
        }
        return null;
    }

    /// <summary>Docker's isValidParent: <paramref name="image"/>'s history and layers begin with all of <paramref name="parent"/>'s.</summary>
    static bool GoesOnFrom(Image image, Image? parent)
    {
        var history = image.Config.History ?? [];
        if (history.Count == 0)
            return false;
        var parentHistory = parent?.Config.History ?? [];
        var parentLayers = parent?.DiffIds ?? [];
        if (parentHistory.Count >= history.Count || parentLayers.Count > image.DiffIds.Count)
            return false;
        return parentHistory.SequenceEqual(history.Take(parentHistory.Count)) && parentLayers.SequenceEqual(image.DiffIds.Take(parentLayers.Count));
    }

    string ParentId => _image?.Id.ToString() ?? "scratch";

    /// <summary>The created_by of a step that only changes the config: Docker's <c>/bin/sh -c #(nop)  CMD ...</c>.</summary>
    string NopCreatedBy(string comment) => string.Join(' ', [.. Shell, "#(nop) ", comment]);

    /// <summary>A step that changes the config only: a child image with an empty layer, or the cached one.</summary>
    async Task CommitConfigAsync(string comment, CancellationToken ct)
    {
        string createdBy = NopCreatedBy(comment);
        var config = _imageConfig with { Config = CurrentConfig };
        string key = BuildCache.Key("config", ParentId, createdBy, System.Text.Encoding.UTF8.GetString(OciImageJson.Write(config with { History = null, RootFS = null, Created = null })));
        if (Cached(key, createdBy) is { } cached)
        {
            await StepDoneAsync(cached, true, ct);
            return;
        }
        var image = builder.Images.CommitConfig(_image, config, new History { Created = Now, CreatedBy = createdBy });
        builder.Cache.Store(key, image.Id.ToString());
        await StepDoneAsync(image, false, ct);
    }

    async Task ArgAsync(ArgInstruction arg, CancellationToken ct)
    {
        var parts = new List<string>();
        foreach (var declaration in arg.Args)
        {
            string? value = declaration.Default;
            if (options.BuildArgs.TryGetValue(declaration.Name, out string? given) && given is not null)
                value = given;
            else if (value is null && metaArgs.TryGetValue(declaration.Name, out string? meta))
                value = meta;
            lock (consumedArgs)
                consumedArgs.Add(declaration.Name);
            _args.Add(new(declaration.Name, value));
            parts.Add(declaration.Default is null ? declaration.Name : declaration.Name + "=" + declaration.Default);
        }
        await CommitConfigAsync("ARG " + string.Join(' ', parts), ct);
    }
}
