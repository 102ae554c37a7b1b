using Berth.Oci.Image;
using Berth.Build.Dockerfile;

namespace Berth.Build.Executor;

internal sealed partial class StageRun
{
    /// <summary>
    /// The instructions that change the config only (ENV, LABEL, CMD, ...): dispatched as moby's dispatchers do, then
    /// committed as an image with an empty layer whose history says what was done.
    /// </summary>
    Task ConfigAsync(Instruction instruction, CancellationToken ct)
    {
        if (instruction is MaintainerInstruction maintainer)
            _imageConfig = _imageConfig with { Author = maintainer.Maintainer };
        else
            _dispatch.Dispatch(instruction, Expanded);
        return CommitConfigAsync(Comment(instruction), ct);
    }

    /// <summary>The words were expanded before the dispatch, with the ARGs in scope: nothing more to do.</summary>
    static string Expanded(string word) => word;

    /// <summary>What Docker's history says a config step did (moby's commit messages).</summary>
    string Comment(Instruction instruction) => instruction switch
    {
        EnvInstruction env => "ENV " + string.Join(' ', env.Pairs.Select(p => p.Key + "=" + p.Value)),
        LabelInstruction label => "LABEL " + string.Join(' ', label.Pairs.Select(p => p.Key + "=" + p.Value)),
        CmdInstruction => "CMD " + GoList(CurrentConfig.Cmd ?? []),
        EntrypointInstruction => "ENTRYPOINT " + GoList(CurrentConfig.Entrypoint ?? []),
        ExposeInstruction => "EXPOSE " + string.Join(' ', CurrentConfig.ExposedPorts ?? new HashSet<string>()),
        VolumeInstruction volume => $"VOLUME [{string.Join(' ', volume.Paths)}]",
        UserInstruction user => "USER " + user.User,
        StopsignalInstruction stop => "STOPSIGNAL " + stop.Signal,
        HealthcheckInstruction health => "HEALTHCHECK " + GoList(health.Test),
        ShellInstruction shell => $"SHELL [{string.Join(' ', shell.Shell)}]",
        OnbuildInstruction onbuild => "ONBUILD " + onbuild.Trigger,
        MaintainerInstruction maintainer => "MAINTAINER " + maintainer.Maintainer,
        WorkdirInstruction => "WORKDIR " + CurrentConfig.WorkingDir,
        _ => instruction.Keyword,
    };

    /// <summary>Go's <c>%q</c> of a string slice, as Docker's history writes commands: <c>["sh" "-c" "x"]</c>.</summary>
    static string GoList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(GoQuote.Quote)) + "]";

    async Task WorkdirAsync(WorkdirInstruction workdir, CancellationToken ct)
    {
        _dispatch.Dispatch(workdir, Expanded);
        await MakeDirectoryStepAsync(CurrentConfig.WorkingDir!, Comment(workdir), ct);
    }
}
