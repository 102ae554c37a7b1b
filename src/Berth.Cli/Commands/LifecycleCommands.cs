using Berth.Cli.Client;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>stop, restart, kill, rm, pause, unpause, rename: one request per container.</summary>
internal static class LifecycleCommands
{
    static string C(string name) => "/containers/" + Query.PathSegment(name);

    public static CommandSpec Stop() => new()
    {
        Name = "stop",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Stop one or more running containers",
        AliasesLine = "{0} container stop, {0} stop",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var signal = flags.String("signal", 's', "", "Signal to send to the container");
            var timeout = flags.Int("timeout", 't', 0, "Seconds to wait before killing the container");
            return inv => ForEach.RunAsync(inv, inv.Args, name => inv.Client.SendAndDrainAsync("POST", C(name) + "/stop", StopQuery(signal.Value, timeout)));
        },
    };

    public static CommandSpec Restart() => new()
    {
        Name = "restart",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Restart one or more containers",
        AliasesLine = "{0} container restart, {0} restart",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var signal = flags.String("signal", 's', "", "Signal to send to the container");
            var timeout = flags.Int("timeout", 't', 0, "Seconds to wait before killing the container");
            return inv => ForEach.RunAsync(inv, inv.Args, name => inv.Client.SendAndDrainAsync("POST", C(name) + "/restart", StopQuery(signal.Value, timeout)));
        },
    };

    static Query StopQuery(string signal, FlagRef<long> timeout) =>
        new Query().AddIfNotEmpty("signal", signal).AddIf(timeout.Changed, "t", timeout.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static CommandSpec Kill() => new()
    {
        Name = "kill",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Kill one or more running containers",
        AliasesLine = "{0} container kill, {0} kill",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var signal = flags.String("signal", 's', "", "Signal to send to the container");
            return inv => ForEach.RunAsync(inv, inv.Args, name => inv.Client.SendAndDrainAsync("POST", C(name) + "/kill", new Query().AddIfNotEmpty("signal", signal.Value)));
        },
    };

    public static CommandSpec Remove() => new()
    {
        Name = "rm",
        Aliases = ["remove"],
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Remove one or more containers",
        AliasesLine = "{0} container rm, {0} container remove, {0} rm",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var force = flags.Bool("force", 'f', false, "Force the removal of a running container (uses SIGKILL)");
            var link = flags.Bool("link", 'l', false, "Remove the specified link");
            var volumes = flags.Bool("volumes", 'v', false, "Remove anonymous volumes associated with the container");
            return inv => ForEach.RunAsync(inv, inv.Args.Select(n => n.Trim('/')),
                name =>
                {
                    if (name.Length == 0)
                        throw new CliException("Container name cannot be empty");
                    var query = new Query().AddIf(volumes.Value, "v", "1").AddIf(link.Value, "link", "1").AddIf(force.Value, "force", "1");
                    return inv.Client.SendAndDrainAsync("DELETE", C(name), query);
                },
                e => force.Value && e is DaemonException { IsNotFound: true });
        },
    };

    public static CommandSpec Pause() => Simple("pause", "Pause all processes within one or more containers", "/pause");

    public static CommandSpec Unpause() => Simple("unpause", "Unpause all processes within one or more containers", "/unpause");

    static CommandSpec Simple(string name, string shortText, string action) => new()
    {
        Name = name,
        Use = "CONTAINER [CONTAINER...]",
        Short = shortText,
        AliasesLine = $"{{0}} container {name}, {{0}} {name}",
        Args = ArgsRule.AtLeast(1),
        Setup = _ => inv => ForEach.RunAsync(inv, inv.Args, n => inv.Client.SendAndDrainAsync("POST", C(n) + action)),
    };

    public static CommandSpec Rename() => new()
    {
        Name = "rename",
        Use = "CONTAINER NEW_NAME",
        Short = "Rename a container",
        AliasesLine = "{0} container rename, {0} rename",
        Args = ArgsRule.Exactly(2),
        Setup = _ => async inv =>
        {
            string oldName = inv.Args[0].Trim();
            string newName = inv.Args[1].Trim();
            if (oldName.Length == 0 || newName.Length == 0)
                throw new CliException("Error: Neither old nor new names may be empty");
            try
            {
                await inv.Client.SendAndDrainAsync("POST", C(oldName) + "/rename", new Query().Add("name", newName)).ConfigureAwait(false);
            }
            catch (DaemonException e)
            {
                inv.Err.WriteLine(e.Message);
                throw new CliException($"Error: failed to rename container named {oldName}");
            }
            return 0;
        },
    };
}
