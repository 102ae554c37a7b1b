using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Images.Store;

namespace Berth.Build.Executor;

/// <summary>
/// Builds a parsed Dockerfile into an image, as Docker's builder does: the target stage and the stages it needs
/// (the others skipped), each instruction a step whose result is an image, looked up in the cache before it is
/// made. Writes Docker's legacy progress text to the output; the result is tagged only when every step succeeded.
/// </summary>
public sealed class Builder(ImageStore images, IBuildWorker worker, BuildCache cache)
{
    internal ImageStore Images { get; } = images;

    internal IBuildWorker Worker { get; } = worker;

    internal BuildCache Cache { get; } = cache;

    /// <summary>The ARGs every build knows without a declaration (Docker's builtinAllowedBuildArgs).</summary>
    internal static readonly HashSet<string> BuiltinArgs = new(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    public async Task<Image> BuildAsync(DockerfileDocument document, BuildContext context, BuildOptions options, IBuildOutput output, CancellationToken ct = default)
    {
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var metaArgs = MetaArgs(document, options, consumed);
        var lex = new ShellLex(document.Directives.Escape);
        string ExpandFrom(string word) => lex.ProcessWord(word, metaArgs);

        var target = StagePlan.Target(document, options.Target);
        var stages = StagePlan.Needed(document, target, ExpandFrom);
        if (options.Labels.Count > 0)
            target = target with { Instructions = [.. target.Instructions, LabelStep(target, options.Labels)] };
        int total = stages.Sum(s => 1 + (s.Index == target.Index ? target.Instructions.Count : s.Instructions.Count));
        var quiet = options.Quiet ? new QuietOutput() : null;
        IBuildOutput progress = quiet ?? output;
        var cacheSources = CacheSources(options.CacheFrom);
        var result = await BuildStagesAsync([.. stages.Select(s => s.Index == target.Index ? target : s)], total,
            (stage, built, stageOutput, steps) => new StageRun(this, document, stage, context, options, metaArgs, consumed, built, lex, stageOutput, steps, cacheSources),
            ExpandFrom, document, progress, ct);
        if (result is null)
            throw new BuildException("No image was generated. Is your Dockerfile empty?");

        var unused = options.BuildArgs.Keys.Where(k => !consumed.Contains(k) && !BuiltinArgs.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
            await progress.WriteAsync($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n", ct);
        foreach (var tag in options.Tags)
            Images.Tag(result.Id.ToString(), tag.ToString());
        await output.ImageIdAsync(result.Id.ToString(), ct);
        if (options.Quiet)
        {
            await output.WriteAsync(result.Id + "\n", ct);
            return result;
        }
        await output.WriteAsync($"Successfully built {result.ShortId}\n", ct);
        foreach (var tag in options.Tags)
            await output.WriteAsync($"Successfully tagged {tag.FamiliarString}\n", ct);
        return result;
    }

    /// <summary>
    /// Builds the stages as a graph: each starts once the stages it needs are built, so independent stages run at the
    /// same time; their output is kept in Dockerfile order. The first failure cancels the others. Returns the last
    /// stage's image.
    /// </summary>
    static async Task<Image?> BuildStagesAsync(
        IReadOnlyList<Stage> stages,
        int total,
        Func<Stage, IReadOnlyDictionary<int, Image?>, IBuildOutput, StepCounter, StageRun> runOf,
        Func<string, string> expandFrom,
        DockerfileDocument document,
        IBuildOutput output,
        CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outputs = new StageOutputs(output, stages.Count);
        var built = new System.Collections.Concurrent.ConcurrentDictionary<int, Image?>();
        var tasks = new Dictionary<int, Task>();
        int firstStep = 1;
        for (int position = 0; position < stages.Count; position++)
        {
            var stage = stages[position];
            var dependencies = StagePlan.Dependencies(document.Stages, stage, expandFrom).Select(d => tasks[d.Index]).ToList();
            var steps = new StepCounter(total, firstStep);
            firstStep += 1 + stage.Instructions.Count;
            int at = position;
            tasks[stage.Index] = Task.Run(async () =>
            {
                try
                {
                    await Task.WhenAll(dependencies);
                    built[stage.Index] = await runOf(stage, built, outputs.For(at), steps).BuildAsync(failed.Token);
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
                finally
                {
                    await outputs.FinishAsync(at, CancellationToken.None);
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks.Values);
        }
        catch
        {
            await outputs.FlushAllAsync(CancellationToken.None);
            // The stage that failed first, not one cancelled because of it.
            var first = tasks.Values.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null && !ct.IsCancellationRequested)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }
        return built[stages[^1].Index];
    }

    /// <summary><c>--cache-from</c>: the images named that are in the store, whose history may stand for our steps.</summary>
    List<Image> CacheSources(IReadOnlyList<string> names)
        => [.. names.Select(name => Images.TryGet(name)).OfType<Image>().DistinctBy(image => image.Id)];

    /// <summary>The ARGs before the first FROM, with the build args' values: what FROM lines expand with.</summary>
    static Dictionary<string, string> MetaArgs(DockerfileDocument document, BuildOptions options, HashSet<string> consumed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lex = new ShellLex(document.Directives.Escape);
        foreach (var instruction in document.MetaArgs)
        {
            foreach (var arg in instruction.Args)
            {
                if (options.BuildArgs.TryGetValue(arg.Name, out string? given) && given is not null)
                {
                    values[arg.Name] = given;
                    consumed.Add(arg.Name);
                }
                else if (arg.Default is not null)
                {
                    values[arg.Name] = lex.ProcessWord(arg.Default, values);
                }
            }
        }
        return values;
    }

    /// <summary>Docker adds <c>--label</c>s to the target stage as one more LABEL instruction.</summary>
    static LabelInstruction LabelStep(Stage target, IReadOnlyDictionary<string, string> labels)
    {
        var pairs = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new KeyValue(l.Key, l.Value)).ToList();
        string text = "LABEL " + string.Join(' ', pairs.Select(p => $"\"{p.Key}\"=\"{p.Value}\""));
        var last = target.Instructions.Count > 0 ? target.Instructions[^1].Location : target.From.Location;
        return new LabelInstruction(last, text, pairs);
    }

    /// <summary>Numbers the steps across stages (<c>Step 3/7</c>).</summary>
    internal sealed class StepCounter(int total, int first = 1)
    {
        int _current = first - 1;

        public string Next(Instruction instruction) => $"Step {++_current}/{total} : {instruction.Original}\n";
    }

    /// <summary><c>docker build -q</c>: the steps' text goes nowhere; a failing step's output is still in its error.</summary>
    sealed class QuietOutput : IBuildOutput
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> text, CancellationToken ct) => ValueTask.CompletedTask;
    }
}
