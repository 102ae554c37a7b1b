using System.Text;
using Berth.Build.Dockerfile;
using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

internal sealed partial class StageRun
{
    /// <summary>
    /// RUN: the command in a container of the current image, with the build args in scope in its environment (not
    /// in the image's), committed as the next image. Cached on the parent, the command, the container's config, the
    /// network and the mounts (a secret's content never: see <see cref="RunMounts.Key"/>).
    /// </summary>
    async Task RunAsync(RunInstruction run, CancellationToken ct)
    {
        var args = ArgsInScope().Select(a => a.Key + "=" + a.Value).ToList();
        // Docker leaves out the args an ENV of the same name overrides.
        var envNames = new HashSet<string>((CurrentConfig.Env ?? []).Select(e => e.IndexOf('=') is var eq and >= 0 ? e[..eq] : e), StringComparer.Ordinal);
        args.RemoveAll(a => envNames.Contains(a[..a.IndexOf('=')]));
        List<string> command = run.Command.PrependShell ? [.. Shell, Script(run)] : [.. run.Command.Args];
        string createdBy = args.Count > 0 ? $"|{args.Count} {string.Join(' ', args)} {string.Join(' ', command)}" : string.Join(' ', command);
        var container = CurrentConfig with { Env = [.. CurrentConfig.Env ?? [], .. args], Cmd = command, Entrypoint = null };
        // "default" names the daemon's default network, as no mode does (the docker CLI sends none, berth "default"): one key.
        string? network = run.Network ?? options.NetworkMode;
        if (network is "" or "default")
            network = null;
        var fromImages = new Dictionary<string, Image?>(StringComparer.Ordinal);
        foreach (string name in run.Mounts.Select(RunMounts.BindFrom).OfType<string>().Distinct())
        {
            fromImages[name] = await SourceImageAsync(name, ct);
        }
        var mounts = RunMounts.Resolve(run.Mounts, context, builder.Cache.Directory, fromImages, options.Secrets);
        string key = BuildCache.Key("run", ParentId, createdBy, Encoding.UTF8.GetString(OciImageJson.Write(new ImageConfig { Config = container })), network, run.Security, RunMounts.Key(mounts, context));
        if (Cached(key, createdBy) is { } cached)
        {
            await StepDoneAsync(cached, true, ct);
            return;
        }
        if (_image is null)
            throw new BuildException($"The command '{string.Join(' ', command)}' cannot run: the stage has no file system yet (FROM scratch)", 127);
        var commit = new CommitOptions
        {
            Config = CurrentConfig,
            Author = _imageConfig.Author,
            CreatedBy = createdBy,
            Created = Now,
            LayerTime = _epoch,
        };
        var cleanups = new List<Action>();
        Image image;
        try
        {
            var secretEnv = new List<string>();
            var stepMounts = RunMounts.ForStep(mounts, context, builder.Images, context.ScratchDirectory, cleanups, secretEnv);
            image = await builder.Worker.RunAsync(new RunStep(_image, container, command, network, stepMounts, commit) { SecretEnv = secretEnv }, output, ct);
        }
        finally
        {
            for (int i = cleanups.Count - 1; i >= 0; i--)
                cleanups[i]();
        }
        builder.Cache.Store(key, image.Id.ToString());
        await StepDoneAsync(image, false, ct);
    }

    /// <summary>
    /// A shell-form RUN's script: the command line, then its here-documents as the shell reads them. A RUN that is
    /// only a here-document runs that document as the script (buildkit's rule).
    /// </summary>
    static string Script(RunInstruction run)
    {
        string line = run.Command.Args.Count > 0 ? run.Command.Args[0] : "";
        if (run.Heredocs.Count == 0)
            return line;
        if (run.Heredocs.Count == 1 && IsOnlyHeredoc(line, run.Heredocs[0]))
            return run.Heredocs[0].Content;
        var script = new StringBuilder(line).Append('\n');
        foreach (var heredoc in run.Heredocs)
        {
            script.Append(heredoc.Content);
            if (!heredoc.Content.EndsWith('\n'))
                script.Append('\n');
            script.Append(heredoc.Name).Append('\n');
        }
        return script.ToString();
    }

    static bool IsOnlyHeredoc(string line, Heredoc heredoc)
    {
        string word = line.Trim().TrimStart('<').TrimStart('-').Trim('"', '\'');
        return line.TrimStart().StartsWith("<<", StringComparison.Ordinal) && word == heredoc.Name;
    }
}
