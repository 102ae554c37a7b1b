using System.Globalization;
using System.Net;
using Berth.Oci.Image;

using Berth.Images;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The mutable copy of a config that instructions are dispatched to, in order (moby's dispatch state): the
/// config-only instructions of a build and the <c>--change</c>s of commit and import. Words are expanded with the
/// Env as the previous instructions left it, or by the caller's expansion when it gives one (a build's, which
/// also sees its ARGs).
/// </summary>
internal sealed class RunConfig(ExecutionConfig config, ShellLex lex)
{
    static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    List<string>? _env = config.Env?.ToList();
    List<string>? _cmd = config.Cmd?.ToList();
    List<string>? _entrypoint = config.Entrypoint?.ToList();
    SortedSet<string>? _ports = config.ExposedPorts is null ? null : new(config.ExposedPorts, StringComparer.Ordinal);
    SortedSet<string>? _volumes = config.Volumes is null ? null : new(config.Volumes, StringComparer.Ordinal);
    SortedDictionary<string, string>? _labels = config.Labels is null ? null : new(config.Labels.ToDictionary(), StringComparer.Ordinal);
    List<string>? _onBuild = config.OnBuild?.ToList();
    string? _user = config.User;
    string? _workingDir = config.WorkingDir;
    bool _argsEscaped = config.ArgsEscaped;
    string? _stopSignal = config.StopSignal;
    HealthcheckConfig? _healthcheck = config.Healthcheck;
    List<string>? _shell = config.Shell?.ToList();
    // moby's cmdSet: a CMD with arguments came earlier in these changes, so an ENTRYPOINT keeps it.
    bool _cmdSet;

    public ExecutionConfig ToConfig(ExecutionConfig original) => original with
    {
        Env = _env,
        Cmd = _cmd,
        Entrypoint = _entrypoint,
        ExposedPorts = _ports,
        Volumes = _volumes,
        Labels = _labels,
        OnBuild = _onBuild,
        User = _user,
        WorkingDir = _workingDir,
        ArgsEscaped = _argsEscaped,
        StopSignal = _stopSignal,
        Healthcheck = _healthcheck,
        Shell = _shell,
    };

    /// <summary>The config as the instructions so far made it.</summary>
    public ExecutionConfig Current => ToConfig(config);

    public void Dispatch(Instruction instruction, Func<string, string>? expand = null)
    {
        // Substitution sees the Env as the previous changes left it.
        Dictionary<string, string> env = ShellLex.Environment(_env);
        Func<string, string> Word = expand ?? (w => lex.ProcessWord(w, env));
        switch (instruction)
        {
            case EnvInstruction e:
                // All pairs are expanded first: in `ENV a=1 b=$a`, b sees the old a.
                var pairs = ((EnvInstruction)e.Expand(Word)).Pairs;
                _env ??= [];
                foreach (var (key, value) in pairs)
                {
                    string entry = key + "=" + value;
                    int at = _env.FindIndex(v => (v.IndexOf('=') is var eq and >= 0 ? v[..eq] : v) == key);
                    if (at >= 0)
                        _env[at] = entry;
                    else
                        _env.Add(entry);
                }
                break;
            case LabelInstruction l:
                var labels = ((LabelInstruction)l.Expand(Word)).Pairs;
                _labels ??= new(StringComparer.Ordinal);
                foreach (var (key, value) in labels)
                    _labels[key] = value;
                break;
            case CmdInstruction c:
                _cmd = CommandLine(c.Command);
                if (c.Command.Args.Count > 0)
                    _cmdSet = true;
                break;
            case EntrypointInstruction e:
                _entrypoint = CommandLine(e.Command);
                if (!_cmdSet)
                    _cmd = null;
                break;
            case OnbuildInstruction o:
                (_onBuild ??= []).Add(o.Trigger);
                break;
            case UserInstruction u:
                _user = ((UserInstruction)u.Expand(Word)).User;
                break;
            case WorkdirInstruction w:
                _workingDir = Workdir(_workingDir ?? "", ((WorkdirInstruction)w.Expand(Word)).Path);
                break;
            case VolumeInstruction v:
                var volumes = ((VolumeInstruction)v.Expand(Word)).Paths;
                _volumes ??= new(StringComparer.Ordinal);
                foreach (string path in volumes)
                {
                    if (path.Length == 0)
                        throw new DockerfileException("VOLUME specified can not be an empty string");
                    _volumes.Add(path);
                }
                break;
            case ExposeInstruction x:
                List<string> ports = [.. ((ExposeInstruction)x.Expand(Word)).Ports.SelectMany(PortSpec)];
                _ports ??= new(StringComparer.Ordinal);
                _ports.UnionWith(ports);
                break;
            case StopsignalInstruction st:
                string signal = ((StopsignalInstruction)st.Expand(Word)).Signal;
                if (!Berth.Linux.Signals.TryParse(signal, out _))
                    throw new DockerfileException($"Invalid signal: {signal}");
                _stopSignal = signal;
                break;
            case HealthcheckInstruction h:
                _healthcheck = new HealthcheckConfig
                {
                    Test = [.. h.Test],
                    Interval = Nanoseconds(h.Interval),
                    Timeout = Nanoseconds(h.Timeout),
                    StartPeriod = Nanoseconds(h.StartPeriod),
                    StartInterval = Nanoseconds(h.StartInterval),
                    Retries = h.Retries ?? 0,
                };
                break;
            case ShellInstruction sh:
                _shell = [.. sh.Shell];
                break;
            default:
                throw new InvalidOperationException($"no dispatcher for {instruction.Keyword}");
        }
    }

    /// <summary>moby's resolveCmdLine on Linux: exec form as is, shell form after the config's Shell (or /bin/sh -c).</summary>
    List<string> CommandLine(CommandLine command)
    {
        if (command.Args.Count == 0)
            return [];
        _argsEscaped = false;
        if (!command.PrependShell)
            return [.. command.Args];
        IReadOnlyList<string> shell = _shell is { Count: > 0 } s ? s : DefaultShell;
        return [.. shell, .. command.Args];
    }

    static long Nanoseconds(TimeSpan? t) => t is { } value ? value.Ticks * 100 : 0;

    /// <summary>moby's normalizeWorkdir on Linux: an absolute path as given, a relative one joined to the current and cleaned.</summary>
    static string Workdir(string current, string requested)
    {
        if (requested.Length == 0)
            throw new DockerfileException("cannot normalize nothing");
        return requested.StartsWith('/') ? requested : GoPath.Clean("/" + current + "/" + requested);
    }

    /// <summary>The <c>port/proto</c> keys one EXPOSE word gives (go-connections' ParsePortSpec as in Docker 20.10).</summary>
    static IEnumerable<string> PortSpec(string raw)
    {
        string[] parts = raw.Split(':');
        string ip = parts.Length >= 3 ? string.Join(':', parts[..^2]) : "";
        string containerPort = parts[^1];
        string[] protoParts = containerPort.Split('/');
        string proto = "", port = "";
        if (containerPort.Length > 0 && protoParts[0].Length > 0)
        {
            port = protoParts[0];
            proto = protoParts.Length == 1 || protoParts[1].Length == 0 ? "tcp" : protoParts[1];
        }
        if (ip.StartsWith('[') && ip.EndsWith(']'))
            ip = ip[1..^1];
        if (ip.Length > 0 && !IPAddress.TryParse(ip, out _))
            throw new DockerfileException($"Invalid ip address: {ip}");
        if (port.Length == 0)
            throw new DockerfileException($"No port specified: {raw}<empty>");
        if (!TryPortRange(port, out int start, out int end))
            throw new DockerfileException($"Invalid containerPort: {port}");
        proto = proto.ToLowerInvariant();
        if (proto is not ("tcp" or "udp" or "sctp"))
            throw new DockerfileException($"Invalid proto: {proto}");
        for (int p = start; p <= end; p++)
            yield return p.ToString(CultureInfo.InvariantCulture) + "/" + proto;
    }

    static bool TryPortRange(string ports, out int start, out int end)
    {
        start = end = 0;
        int dash = ports.IndexOf('-');
        if (dash < 0)
            return TryPort(ports, out start) && (end = start) == start;
        string[] parts = ports.Split('-');
        return TryPort(parts[0], out start) && TryPort(parts[1], out end) && end >= start;
    }

    // Go's strconv.ParseUint(s, 10, 16).
    static bool TryPort(string s, out int port)
    {
        port = 0;
        if (s.Length == 0 || !s.All(char.IsAsciiDigit))
            return false;
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= ushort.MaxValue;
    }
}
