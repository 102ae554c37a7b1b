using Berth.Build.Dockerfile;

namespace Berth.Build.Executor;

/// <summary>
/// Which stages a build runs: the target and, transitively, the stages it starts FROM or copies from; the others
/// are skipped. Stages are named by their AS name (any case) or their index.
/// </summary>
internal static class StagePlan
{
    /// <summary>The stage a name or index refers to, among those before <paramref name="before"/>; null: not a stage (an image).</summary>
    public static Stage? Find(IReadOnlyList<Stage> stages, string nameOrIndex, int before)
    {
        string name = nameOrIndex.ToLowerInvariant();
        for (int i = 0; i < before && i < stages.Count; i++)
        {
            if (stages[i].Name == name)
                return stages[i];
        }
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < before && index < stages.Count)
            return stages[index];
        return null;
    }

    public static Stage Target(DockerfileDocument document, string? target)
    {
        if (document.Stages.Count == 0)
            throw new BuildException("No build stage in current context");
        if (string.IsNullOrEmpty(target))
            return document.Stages[^1];
        return document.Stages.FirstOrDefault(s => s.Name == target.ToLowerInvariant())
            ?? throw new BuildException($"failed to reach build target {target} in Dockerfile");
    }

    /// <summary>The stages <paramref name="target"/> needs, itself included, in Dockerfile order.</summary>
    public static IReadOnlyList<Stage> Needed(DockerfileDocument document, Stage target, Func<string, string> expandFrom)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<Stage>([target]);
        while (pending.Count > 0)
        {
            var stage = pending.Pop();
            if (!needed.Add(stage.Index))
                continue;
            foreach (var dependency in Dependencies(document.Stages, stage, expandFrom))
                pending.Push(dependency);
        }
        return [.. needed.Select(i => document.Stages[i])];
    }

    /// <summary>The earlier stages a stage builds on: its FROM, its COPY --from and its RUN --mount=type=bind,from= that name a stage.</summary>
    public static IEnumerable<Stage> Dependencies(IReadOnlyList<Stage> stages, Stage stage, Func<string, string> expandFrom)
    {
        if (Find(stages, expandFrom(stage.From.Image), stage.Index) is { } parent)
            yield return parent;
        foreach (var copy in stage.Instructions.OfType<CopyInstruction>())
        {
            if (copy.From is { Length: > 0 } from && Find(stages, from, stage.Index) is { } source)
                yield return source;
        }
        foreach (var mount in stage.Instructions.OfType<RunInstruction>().SelectMany(r => r.Mounts))
        {
            if (RunMounts.BindFrom(mount) is { } from && Find(stages, from, stage.Index) is { } source)
                yield return source;
        }
    }
}
