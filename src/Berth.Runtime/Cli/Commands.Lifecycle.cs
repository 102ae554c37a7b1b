using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

/// <summary>The runc verbs, one file per group; each parses its flags and calls the container code.</summary>
internal static partial class Commands
{
    static readonly Flag[] CreateFlags =
    [
        new("bundle", TakesValue: true, Alias: "b"),
        new("console-socket", TakesValue: true),
        new("pid-file", TakesValue: true),
        new("no-pivot"),
        new("no-new-keyring"),
        new("preserve-fds", TakesValue: true),
    ];

    public static int Create(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, CreateFlags);
        string id = SingleId(line, "create");
        ContainerCreator.Create(global.Store, CreateOptionsFrom(line, id));
        return 0;
    }

    static CreateOptions CreateOptionsFrom(CommandLine line, string id) => new()
    {
        Id = id,
        Bundle = line.Get("bundle"),
        PidFile = line.Get("pid-file"),
        ConsoleSocket = line.Get("console-socket"),
        NoPivot = line.Has("no-pivot"),
        NoNewKeyring = line.Has("no-new-keyring"),
        PreserveFds = line.GetInt("preserve-fds", 0),
    };

    public static int Start(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, []);
        string id = SingleId(line, "start");
        ContainerStarter.Start(global.Store, id);
        return 0;
    }

    static readonly Flag[] KillFlags = [new("all", Alias: "a")];

    public static int Kill(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, KillFlags);
        if (line.Positionals.Count is < 1 or > 2)
            throw new UsageException("\"kill\" requires a minimum of 1 and a maximum of 2 arguments");
        string id = line.Positionals[0];
        string signalText = line.Positionals.Count > 1 ? line.Positionals[1] : "SIGTERM";
        if (!Signals.TryParse(signalText, out int signal))
            throw RuntimeError.Invalid($"unknown signal \"{signalText}\"");
        var store = global.Store;
        using var _ = store.Lock(id);
        var container = Container.Load(store, id);
        string status = container.Status();
        if (status == ContainerStatus.Stopped && !line.Has("all"))
            throw RuntimeError.Conflict("container not running");
        container.Signal(signal, line.Has("all") || (signal == Signals.SIGKILL && !container.Record.OwnPidNamespace));
        return 0;
    }

    static readonly Flag[] DeleteFlags = [new("force", Alias: "f")];

    public static int Delete(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, DeleteFlags);
        string id = SingleId(line, "delete");
        ContainerDeleter.Delete(global.Store, id, line.Has("force"));
        return 0;
    }

    public static int Pause(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        string id = SingleId(CommandLine.Parse(args, start, []), "pause");
        var store = global.Store;
        using var _ = store.Lock(id);
        var container = Container.Load(store, id);
        string status = container.Status();
        if (status is not (ContainerStatus.Running or ContainerStatus.Created))
            throw RuntimeError.Conflict("container not running");
        container.Cgroup.Freeze();
        return 0;
    }

    public static int Resume(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        string id = SingleId(CommandLine.Parse(args, start, []), "resume");
        var store = global.Store;
        using var _ = store.Lock(id);
        var container = Container.Load(store, id);
        if (container.Status() != ContainerStatus.Paused)
            throw RuntimeError.Conflict("container not paused");
        container.Cgroup.Thaw();
        return 0;
    }

    static string SingleId(CommandLine line, string command)
    {
        if (line.Positionals.Count != 1)
            throw new UsageException($"\"{command}\" requires exactly 1 argument(s)");
        return line.Positionals[0];
    }
}
