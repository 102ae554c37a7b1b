using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"network create", "network connect" and "network disconnect": the requests docker's client sends.</summary>
internal static partial class NetworkCommands
{
    public static CommandSpec Create() => new()
    {
        Name = "create",
        Use = "[OPTIONS] NETWORK",
        Short = "Create a network",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var options = new NetworkCreateOptions(flags);
            return async inv =>
            {
                var body = options.ToBody(inv.Args[0]);
                var created = await inv.Client.PostAsync("/networks/create", null, RequestBody.Json(body), DockerJson.Default.NetworkCreateResponse).ConfigureAwait(false);
                inv.Out.WriteLine(created.Id);
                return 0;
            };
        },
    };

    public static CommandSpec Connect() => new()
    {
        Name = "connect",
        Use = "[OPTIONS] NETWORK CONTAINER",
        Short = "Connect a container to a network",
        Args = ArgsRule.Exactly(2),
        Setup = flags =>
        {
            var aliases = flags.StringSlice("alias", null, "Add network-scoped alias for the container");
            var driverOpts = flags.StringSlice("driver-opt", null, "driver options for the network");
            var gwPriority = flags.Int("gw-priority", null, 0, "Highest gw-priority provides the default gateway. Accepts positive and negative values.");
            var ip = flags.String("ip", null, "", "IPv4 address (e.g., \"172.30.100.104\")");
            var ip6 = flags.String("ip6", null, "", "IPv6 address (e.g., \"2001:db8::33\")");
            var links = flags.List("link", null, "Add link to another container");
            var linkLocalIps = flags.StringSlice("link-local-ip", null, "Add a link-local address for the container");
            return async inv =>
            {
                var options = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var opt in driverOpts.Value)
                {
                    int eq = opt.IndexOf('=');
                    string key = eq < 0 ? "" : opt[..eq].Trim();
                    if (key.Length == 0)
                        throw new CliException("invalid key/value pair format in driver options");
                    options[key] = opt[(eq + 1)..].Trim();
                }
                if (gwPriority.Value is < int.MinValue or > int.MaxValue)
                    throw new CliException("--gw-priority: value out of range");
                var request = new NetworkConnectRequest
                {
                    Container = inv.Args[1],
                    EndpointConfig = new EndpointSettings
                    {
                        IPAMConfig = new EndpointIPAMConfig
                        {
                            IPv4Address = ip.Value.Length > 0 ? ip.Value : null,
                            IPv6Address = ip6.Value.Length > 0 ? ip6.Value : null,
                            LinkLocalIPs = linkLocalIps.Value,
                        },
                        Links = links.Value.Count > 0 ? links.Value : null,
                        Aliases = aliases.Value,
                        DriverOpts = options,
                        GwPriority = (int)gwPriority.Value,
                    },
                };
                await inv.Client.SendAndDrainAsync("POST", N(inv.Args[0]) + "/connect", null,
                    DaemonClientTyped.Json(request, DockerJson.Default.NetworkConnectRequest)).ConfigureAwait(false);
                return 0;
            };
        },
    };

    public static CommandSpec Disconnect() => new()
    {
        Name = "disconnect",
        Use = "[OPTIONS] NETWORK CONTAINER",
        Short = "Disconnect a container from a network",
        Args = ArgsRule.Exactly(2),
        Setup = flags =>
        {
            var force = flags.Bool("force", 'f', false, "Force the container to disconnect from a network");
            return async inv =>
            {
                var request = new NetworkDisconnectRequest { Container = inv.Args[1], Force = force.Value };
                await inv.Client.SendAndDrainAsync("POST", N(inv.Args[0]) + "/disconnect", null,
                    DaemonClientTyped.Json(request, DockerJson.Default.NetworkDisconnectRequest)).ConfigureAwait(false);
                return 0;
            };
        },
    };
}
