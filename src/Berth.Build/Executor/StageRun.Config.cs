using Berth.Build.Dockerfile;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

internal sealed partial class StageRun
{
    /// <summary>The instructions that change the config only (ENV, LABEL, CMD, ...), as moby's dispatchers do.</summary>
    Task ConfigAsync(Instruction instruction, CancellationToken ct)
    {
        string comment;
        switch (instruction)
        {
            case EnvInstruction env:
                var entries = (_config.Env ?? []).ToList();
                foreach (var (key, value) in env.Pairs)
                {
                    int at = entries.FindIndex(e => (e.IndexOf('=') is var eq and >= 0 ? e[..eq] : e) == key);
                    if (at >= 0)
                        entries[at] = key + "=" + value;
                    else
                        entries.Add(key + "=" + value);
                }
                _config = _config with { Env = entries };
                comment = "ENV " + string.Join(' ', env.Pairs.Select(p => p.Key + "=" + p.Value));
                break;
            case LabelInstruction label:
                var labels = new SortedDictionary<string, string>((_config.Labels ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal);
                foreach (var (key, value) in label.Pairs)
                    labels[key] = value;
                _config = _config with { Labels = labels };
                comment = "LABEL " + string.Join(' ', label.Pairs.Select(p => p.Key + "=" + p.Value));
                break;
            case CmdInstruction cmd:
                _config = _config with { Cmd = CommandOf(cmd.Command) };
                _cmdSet = true;
                comment = "CMD " + GoList(_config.Cmd!);
                break;
            case EntrypointInstruction entrypoint:
                _config = _config with { Entrypoint = CommandOf(entrypoint.Command), Cmd = _cmdSet ? _config.Cmd : null };
                comment = "ENTRYPOINT " + GoList(_config.Entrypoint!);
                break;
            case ExposeInstruction expose:
                var ports = new SortedSet<string>(_config.ExposedPorts ?? new HashSet<string>(), StringComparer.Ordinal);
                foreach (string spec in expose.Ports)
                    ports.UnionWith(PortSpecs.Parse(spec));
                _config = _config with { ExposedPorts = ports };
                comment = "EXPOSE " + string.Join(' ', ports);
                break;
            case VolumeInstruction volume:
                var volumes = new SortedSet<string>(_config.Volumes ?? new HashSet<string>(), StringComparer.Ordinal);
                foreach (string path in volume.Paths)
                {
                    if (path.Trim().Length == 0)
                        throw new BuildException("VOLUME specified can not be an empty string");
                    volumes.Add(path);
                }
                _config = _config with { Volumes = volumes };
                comment = $"VOLUME [{string.Join(' ', volume.Paths)}]";
                break;
            case UserInstruction user:
                _config = _config with { User = user.User };
                comment = "USER " + user.User;
                break;
            case StopsignalInstruction stop:
                if (!Berth.Linux.Signals.TryParse(stop.Signal, out _))
                    throw new BuildException($"Invalid signal: {stop.Signal}");
                _config = _config with { StopSignal = stop.Signal };
                comment = "STOPSIGNAL " + stop.Signal;
                break;
            case HealthcheckInstruction health:
                _config = _config with { Healthcheck = HealthcheckOf(health) };
                comment = "HEALTHCHECK " + string.Join(' ', health.Test);
                break;
            case ShellInstruction shell:
                _config = _config with { Shell = [.. shell.Shell] };
                comment = $"SHELL [{string.Join(' ', shell.Shell)}]";
                break;
            case OnbuildInstruction onbuild:
                _config = _config with { OnBuild = [.. _config.OnBuild ?? [], onbuild.Trigger] };
                comment = "ONBUILD " + onbuild.Trigger;
                break;
            case MaintainerInstruction maintainer:
                _imageConfig = _imageConfig with { Author = maintainer.Maintainer };
                comment = "MAINTAINER " + maintainer.Maintainer;
                break;
            default:
                throw new BuildException($"unknown instruction: {instruction.Keyword}");
        }
        return CommitConfigAsync(comment, ct);
    }

    /// <summary>moby's resolveCmdLine: exec form as written, shell form after the stage's SHELL.</summary>
    List<string> CommandOf(CommandLine command)
        => command.PrependShell ? [.. Shell, .. command.Args] : [.. command.Args];

    /// <summary>Go's <c>%q</c> of a string slice, as Docker's history writes commands: <c>["sh" "-c" "x"]</c>.</summary>
    static string GoList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(GoQuote.Quote)) + "]";

    static HealthcheckConfig HealthcheckOf(HealthcheckInstruction h) => new()
    {
        Test = [.. h.Test],
        Interval = Nanoseconds(h.Interval),
        Timeout = Nanoseconds(h.Timeout),
        StartPeriod = Nanoseconds(h.StartPeriod),
        StartInterval = Nanoseconds(h.StartInterval),
        Retries = h.Retries ?? 0,
    };

    static long Nanoseconds(TimeSpan? t) => t is { } value ? value.Ticks * 100 : 0;

    async Task WorkdirAsync(WorkdirInstruction workdir, CancellationToken ct)
    {
        string path = workdir.Path.StartsWith('/') ? workdir.Path : GoPath.Clean("/" + (_config.WorkingDir ?? "") + "/" + workdir.Path);
        _config = _config with { WorkingDir = path };
        await MakeDirectoryStepAsync(path, "WORKDIR " + path, ct);
    }
}
