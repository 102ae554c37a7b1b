using Berth.Linux;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

internal static partial class Commands
{
    static readonly Flag[] RunFlags =
    [
        .. CreateFlags,
        new("detach", Alias: "d"),
        new("keep"),
        new("no-subreaper"),
    ];

    public static int Run(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, RunFlags);
        string id = SingleId(line, "run");
        var store = global.Store;
        if (line.Has("detach"))
        {
            ContainerStarter.Start(store, ContainerCreator.Create(store, CreateOptionsFrom(line, id)));
            return 0;
        }
        if (!line.Has("no-subreaper"))
            Processes.SetChildSubreaper();
        using var session = new ForegroundSession();
        var options = CreateOptionsFrom(line, id);
        if (options.ConsoleSocket is null && TerminalRequested(options.Bundle))
            options = new CreateOptions
            {
                Id = options.Id, Bundle = options.Bundle, PidFile = options.PidFile, NoPivot = options.NoPivot,
                NoNewKeyring = options.NoNewKeyring, PreserveFds = options.PreserveFds,
                ConsoleSocketHandle = session.CreateConsoleSocket(),
            };
        var container = ContainerCreator.Create(store, options);
        int code;
        try
        {
            options.ConsoleSocketHandle?.Dispose();
            session.AttachTerminal();
            ContainerStarter.Start(store, container);
            code = session.Wait(container.Record.Pid);
        }
        finally
        {
            if (!line.Has("keep"))
                ContainerDeleter.Delete(store, id, force: true);
        }
        return code;
    }

    static bool TerminalRequested(string? bundle)
    {
        string config = Path.Combine(Path.GetFullPath(bundle ?? Directory.GetCurrentDirectory()), "config.json");
        try
        {
            return Oci.OciJson.ReadSpec(config).Process?.Terminal == true;
        }
        catch (Exception e) when (e is Oci.OciFormatException or IOException)
        {
            return false; // create reports the problem with the config
        }
    }
}
