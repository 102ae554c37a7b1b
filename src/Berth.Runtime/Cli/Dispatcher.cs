using Berth.Linux;

namespace Berth.Runtime.Cli;

/// <summary>Parses the global flags, finds the command and turns failures into runc's exit status and log line.</summary>
internal static class Dispatcher
{
    delegate int Command(GlobalOptions global, IReadOnlyList<string> args, int start);

    static readonly Dictionary<string, Command> Table = new(StringComparer.Ordinal)
    {
        ["create"] = Commands.Create,
        ["start"] = Commands.Start,
        ["run"] = Commands.Run,
        ["state"] = Commands.State,
        ["kill"] = Commands.Kill,
        ["delete"] = Commands.Delete,
        ["exec"] = Commands.Exec,
        ["ps"] = Commands.Ps,
        ["list"] = Commands.List,
        ["pause"] = Commands.Pause,
        ["resume"] = Commands.Resume,
        ["update"] = Commands.Update,
        ["events"] = Commands.Events,
        ["spec"] = Commands.Spec,
        ["features"] = Commands.Features,
    };

    public static int Run(string[] args)
    {
        string command = "";
        try
        {
            int i = 0;
            var globalArgs = new List<string>();
            while (i < args.Length && args[i].StartsWith('-') && args[i] != "--")
            {
                globalArgs.Add(args[i]);
                var flag = FindGlobal(args[i]);
                if (flag is { TakesValue: true } && !args[i].Contains('=') && i + 1 < args.Length)
                    globalArgs.Add(args[++i]);
                i++;
            }
            var global = CommandLine.Parse(globalArgs, 0, GlobalOptions.Flags);
            RuntimeLog.Configure(global.Get("log"), global.Get("log-format"), global.Has("debug"));
            if (global.Has("version"))
            {
                Output.Write(VersionText());
                return 0;
            }
            if (i >= args.Length || global.Has("help"))
            {
                Output.Write(Usage());
                return i >= args.Length && !global.Has("help") ? 1 : 0;
            }
            command = args[i];
            if (command == "help")
            {
                Output.Write(Usage());
                return 0;
            }
            if (!Table.TryGetValue(command, out var run))
                throw new UsageException($"No help topic for '{command}'");
            var options = new GlobalOptions
            {
                Root = global.Get("root") ?? GlobalOptions.DefaultRoot(),
                SystemdCgroup = global.Has("systemd-cgroup"),
            };
            if (options.SystemdCgroup)
                throw new RuntimeError(ErrorKind.Unsupported, "--systemd-cgroup: the systemd cgroup driver is not supported by berth-runtime; use the cgroupfs driver (the default)");
            return run(options, args, i + 1);
        }
        catch (UsageException e)
        {
            Fail(e.Message, command);
            return 1;
        }
        catch (CommandFailure e)
        {
            Fail(e.Message, command);
            return e.ExitStatus;
        }
        catch (RuntimeError e)
        {
            Fail(e.Message, command);
            return 1;
        }
        catch (LinuxException e)
        {
            Fail(e.Message, command);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e.Message, command);
            return 1;
        }
    }

    static Flag? FindGlobal(string arg)
    {
        string name = arg.TrimStart('-');
        int eq = name.IndexOf('=');
        if (eq >= 0)
            name = name[..eq];
        return GlobalOptions.Flags.FirstOrDefault(f => f.Name == name || f.Alias == name);
    }

    static void Fail(string message, string command)
    {
        RuntimeLog.Error(message);
        if (!RuntimeLog.ToStderr)
            Output.Error(message + "\n");
    }

    public static string VersionText() =>
        $"{RuntimeInfo.Name} version {RuntimeInfo.Version}\n{(RuntimeInfo.Commit.Length == 0 ? "" : $"commit: {RuntimeInfo.Commit}\n")}spec: {RuntimeInfo.OciVersion}\n";

    static string Usage() => $"""
        NAME:
           {RuntimeInfo.Name} - an OCI runtime, runc-compatible, written in C#

        USAGE:
           {RuntimeInfo.Name} [global options] command [command options] [arguments...]

        COMMANDS:
           create    create a container
           delete    delete any resources held by the container often used with detached container
           events    display container events such as OOM notifications, cpu, memory, and IO usage statistics
           exec      execute new process inside the container
           features  show the enabled features
           kill      kill sends the specified signal (default: SIGTERM) to the container's init process
           list      lists containers started by {RuntimeInfo.Name} with the given root
           pause     pause suspends all processes inside the container
           ps        ps displays the processes running inside a container
           resume    resumes all processes that have been previously paused
           run       create and run a container
           spec      create a new specification file
           start     executes the user defined process in a created container
           state     output the state of a container
           update    update container resource constraints

        GLOBAL OPTIONS:
           --debug             enable debug logging
           --log value         set the log file to write runtime logs to (default: stderr)
           --log-format value  set the log format ('text' (default), or 'json') (default: "text")
           --root value        root directory for storage of container state (default: "{Containers.ContainerStore.DefaultRoot}")
           --systemd-cgroup    not supported: berth-runtime drives cgroupfs directly
           --help, -h          show help
           --version, -v       print the version

        """;
}
