using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.Cli;

internal static partial class Commands
{
    static readonly Flag[] ExecFlags =
    [
        new("console-socket", TakesValue: true),
        new("pid-file", TakesValue: true),
        new("detach", Alias: "d"),
        new("tty", Alias: "t"),
        new("cwd", TakesValue: true),
        new("env", TakesValue: true, Alias: "e"),
        new("user", TakesValue: true, Alias: "u"),
        new("additional-gids", TakesValue: true, Alias: "g"),
        new("process", TakesValue: true, Alias: "p"),
        new("process-label", TakesValue: true),
        new("apparmor", TakesValue: true),
        new("no-new-privs"),
        new("cap", TakesValue: true, Alias: "c"),
        new("preserve-fds", TakesValue: true),
        new("cgroup", TakesValue: true),
        new("ignore-paused"),
    ];

    public static int Exec(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, ExecFlags, interspersed: false, positionalsBeforeStop: 1);
        if (line.Positionals.Count < 1)
            throw new UsageException("\"exec\" requires a minimum of 1 argument(s)");
        try
        {
            return ExecProcessIn(global, line);
        }
        catch (Exception e) when (e is RuntimeError or LinuxException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure(ExecFailedStatus, "exec failed: " + e.Message, e);
        }
    }

    /// <summary>runc's exit status for an exec that could not run its process (unknown container included).</summary>
    const int ExecFailedStatus = 255;

    static int ExecProcessIn(GlobalOptions global, CommandLine line)
    {
        string id = line.Positionals[0];
        // runc moves the process into a sub-cgroup of the container; refused rather than silently ignored.
        if (line.Get("cgroup") is { } cgroup)
            throw new RuntimeError(ErrorKind.InvalidArgument, $"--cgroup {cgroup}: joining a sub-cgroup on exec is not supported by berth-runtime");
        var container = Container.Load(global.Store, id);
        var process = ExecProcess(line, container.Spec.Process);
        bool detach = line.Has("detach");
        var options = new ExecOptions
        {
            Process = process,
            ConsoleSocket = line.Get("console-socket"),
            PidFile = line.Get("pid-file"),
            PreserveFds = line.GetInt("preserve-fds", 0),
            IgnorePaused = line.Has("ignore-paused"),
        };
        if (detach)
        {
            ContainerExec.Start(container, options, null);
            return 0;
        }
        using var session = new ForegroundSession();
        var consoleSocket = process.Terminal && options.ConsoleSocket is null ? session.CreateConsoleSocket() : null;
        int pid;
        using (consoleSocket)
            pid = ContainerExec.Start(container, options, consoleSocket);
        session.AttachTerminal();
        return session.Wait(pid);
    }

    /// <summary>The process to exec: --process, or the container's process with the command line's overrides.</summary>
    static OciProcess ExecProcess(CommandLine line, OciProcess? template)
    {
        OciProcess process;
        if (line.Get("process") is { } file)
        {
            try
            {
                process = OciJson.ReadFile<OciProcess>(file);
            }
            catch (OciFormatException e)
            {
                throw new RuntimeError(ErrorKind.InvalidArgument, e.Message, e);
            }
        }
        else
        {
            if (line.Positionals.Count < 2)
                throw new UsageException("exec: no command given (args or --process)");
            // A copy of the container's process, so that the saved spec is not changed.
            process = OciJson.Read<OciProcess>(OciJson.WriteCompact(template ?? new OciProcess()), "process");
            process.Args = line.Positionals.Skip(1).ToList();
            process.Terminal = line.Has("tty");
            process.ConsoleSize = null;
            if (line.Get("cwd") is { } cwd)
                process.Cwd = cwd;
            var env = new List<string>(process.Env ?? []);
            foreach (var e in line.GetAll("env"))
            {
                int eq = e.IndexOf('=');
                string key = eq < 0 ? e : e[..eq];
                env.RemoveAll(x => x.StartsWith(key + "=", StringComparison.Ordinal));
                env.Add(e);
            }
            process.Env = env;
            if (line.Get("user") is { } user)
                process.User = ParseUser(user, process.User);
            foreach (var g in line.GetAll("additional-gids"))
            {
                if (!uint.TryParse(g, out uint gid))
                    throw new UsageException($"invalid additional-gids value {g}");
                (process.User.AdditionalGids ??= []).Add(gid);
            }
            if (line.Has("no-new-privs"))
                process.NoNewPrivileges = true;
            if (line.Get("apparmor") is { } profile)
                process.ApparmorProfile = profile;
            var caps = line.GetAll("cap");
            if (caps.Count > 0)
            {
                process.Capabilities ??= new LinuxCapabilities();
                foreach (var cap in caps)
                {
                    string name = cap.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? cap.ToUpperInvariant() : "CAP_" + cap.ToUpperInvariant();
                    foreach (var set in new[] { process.Capabilities.Bounding ??= [], process.Capabilities.Effective ??= [], process.Capabilities.Permitted ??= [], process.Capabilities.Ambient ??= [] })
                        if (!set.Contains(name))
                            set.Add(name);
                }
            }
        }
        if (line.Has("tty"))
            process.Terminal = true;
        SpecValidator.ValidateProcess(process, "process");
        return process;
    }

    static User ParseUser(string text, User current)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || !uint.TryParse(parts[0], out uint uid) || (parts.Length == 2 && !uint.TryParse(parts[1], out _)))
            throw new UsageException($"parsing {text} as uid[:gid] failed");
        return new User
        {
            Uid = uid,
            Gid = parts.Length == 2 ? uint.Parse(parts[1]) : 0,
            Umask = current.Umask,
            AdditionalGids = current.AdditionalGids,
        };
    }
}
