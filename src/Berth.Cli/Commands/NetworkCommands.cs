using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth network": docker 28's network commands (cli/command/network) over the Engine API's /networks routes, with
/// docker's flags, output and errors. This file: the group, ls, rm and prune.
/// </summary>
internal static partial class NetworkCommands
{
    static string N(string name) => "/networks/" + Query.PathSegment(name);

    public static CommandSpec Group() => new CommandSpec { Name = "network", Short = "Manage networks" }.Add(
        Connect(),
        Create(),
        Disconnect(),
        Inspect(),
        List(),
        Prune(),
        Remove());

    public static CommandSpec List() => new()
    {
        Name = "ls",
        Aliases = ["list"],
        Use = "[OPTIONS]",
        Short = "List networks",
        AliasesLine = "{0} network ls, {0} network list",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"driver=bridge\")");
            var format = FormatFlags.Table(flags);
            var noTrunc = flags.Bool("no-trunc", null, false, "Do not truncate the output");
            var quiet = flags.Bool("quiet", 'q', false, "Only display network IDs");
            return async inv =>
            {
                var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
                var networks = await inv.Client.GetJsonAsync("/networks", query).ConfigureAwait(false) as JsonArray ?? [];
                string chosen = NetworkRows.Format(format.Value.Length == 0 ? "table" : format.Value, quiet.Value);
                ListOutput.Write(inv.Out, chosen, NetworkRows.Rows(networks, !noTrunc.Value), NetworkRows.Headers);
                return 0;
            };
        },
    };

    public static CommandSpec Remove() => new()
    {
        Name = "rm",
        Aliases = ["remove"],
        Use = "NETWORK [NETWORK...]",
        Short = "Remove one or more networks",
        AliasesLine = "{0} network rm, {0} network remove",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var force = flags.Bool("force", 'f', false, "Do not error if the network does not exist");
            return async inv =>
            {
                // docker prints each failure as it happens and ends with a bare status error.
                bool failed = false;
                foreach (var name in inv.Args)
                {
                    if (await IsIngressAsync(inv.Client, name).ConfigureAwait(false) && !Prompt.Confirm(inv.Cli, IngressWarning))
                        continue;
                    try
                    {
                        await inv.Client.SendAndDrainAsync("DELETE", N(name)).ConfigureAwait(false);
                        inv.Out.WriteLine(name);
                    }
                    catch (DaemonException e)
                    {
                        if (force.Value && e.IsNotFound)
                            continue;
                        inv.Out.Flush();
                        inv.Err.WriteLine(e.Message);
                        failed = true;
                    }
                }
                if (failed)
                    throw new CliException("exit status 1");
                return 0;
            };
        },
    };

    const string IngressWarning = "WARNING! Before removing the routing-mesh network, make sure all the nodes in your swarm run the same docker engine version. "
        + "Otherwise, removal may not be effective and functionality of newly create ingress networks will be impaired.";

    /// <summary>Whether the network is a swarm's routing mesh; a network that cannot be inspected is not.</summary>
    static async Task<bool> IsIngressAsync(DaemonClient client, string name)
    {
        try
        {
            var network = await client.GetJsonAsync(N(name)).ConfigureAwait(false);
            return network?["Ingress"] is JsonValue v && v.TryGetValue(out bool ingress) && ingress;
        }
        catch (DaemonException)
        {
            return false;
        }
    }

    public static CommandSpec Prune() => new()
    {
        Name = "prune",
        Use = "[OPTIONS]",
        Short = "Remove all unused networks",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var filter = FilterArgs.Define(flags, "Provide filter values (e.g. \"until=<timestamp>\")", null);
            var force = flags.Bool("force", 'f', false, "Do not prompt for confirmation");
            return async inv =>
            {
                if (!force.Value && !Prompt.Confirm(inv.Cli, "WARNING! This will remove all custom networks not used by at least one container."))
                    return 0;
                var query = new Query().AddIf(!filter.IsEmpty, "filters", filter.ToJson());
                var report = await inv.Client.PostAsync("/networks/prune", query, null, DockerJson.Default.NetworkPruneResponse).ConfigureAwait(false);
                if (report.NetworksDeleted is { Count: > 0 } deleted)
                {
                    var sb = new StringBuilder("Deleted Networks:\n");
                    foreach (var id in deleted)
                        sb.Append(id).Append('\n');
                    inv.Out.WriteLine(sb.ToString());
                }
                return 0;
            };
        },
    };
}
