using System.Text;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Streams;
using Berth.Cli.Templates;
using Berth.Engine.Model;
using Berth.Engine.Streams;

namespace Berth.Cli.Commands;

/// <summary>logs, wait, top, port, diff: reading a container's state and output.</summary>
internal static class ContainerInfoCommands
{
    static string C(string name) => "/containers/" + Query.PathSegment(name);

    public static CommandSpec Logs() => new()
    {
        Name = "logs",
        Use = "[OPTIONS] CONTAINER",
        Short = "Fetch the logs of a container",
        AliasesLine = "{0} container logs, {0} logs",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var details = flags.Bool("details", null, false, "Show extra details provided to logs");
            var follow = flags.Bool("follow", 'f', false, "Follow log output");
            var since = flags.String("since", null, "", "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)");
            var tail = flags.String("tail", 'n', "all", "Number of lines to show from the end of the logs");
            var timestamps = flags.Bool("timestamps", 't', false, "Show timestamps");
            var until = flags.String("until", null, "", "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)");
            return async inv =>
            {
                var cli = inv.Cli;
                var container = await cli.Client.GetAsync(C(inv.Args[0]) + "/json", null, DockerJson.Default.ContainerInspect).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow;
                var query = new Query().Add("stdout", "1").Add("stderr", "1")
                    .AddIfNotEmpty("since", since.Value.Length > 0 ? GoTime.Timestamp(since.Value, now) : null)
                    .AddIfNotEmpty("until", until.Value.Length > 0 ? GoTime.Timestamp(until.Value, now) : null)
                    .AddIf(timestamps.Value, "timestamps", "1")
                    .AddIf(details.Value, "details", "1")
                    .AddIf(follow.Value, "follow", "1")
                    .Add("tail", tail.Value);
                cli.Flush();
                using var response = await cli.Client.SendAsync("GET", C(container.Id) + "/logs", query).ConfigureAwait(false);
                if (container.Config?.Tty == true)
                {
                    var stdout = new FlushingStream(cli.StdoutStream);
                    await response.Body.CopyToAsync(stdout).ConfigureAwait(false);
                }
                else
                {
                    await MultiplexedStreamReader.CopyAsync(response.Body, new FlushingStream(cli.StdoutStream), new FlushingStream(cli.StderrStream)).ConfigureAwait(false);
                }
                return 0;
            };
        },
    };

    public static CommandSpec Wait() => new()
    {
        Name = "wait",
        Use = "CONTAINER [CONTAINER...]",
        Short = "Block until one or more containers stop, then print their exit codes",
        AliasesLine = "{0} container wait, {0} wait",
        Args = ArgsRule.AtLeast(1),
        Setup = _ => async inv =>
        {
            var errors = new List<string>();
            foreach (var name in inv.Args)
            {
                try
                {
                    var result = await inv.Client.PostAsync(C(name) + "/wait", null, null, DockerJson.Default.ContainerWaitResponse).ConfigureAwait(false);
                    if (result.Error?.Message is { Length: > 0 } message)
                        errors.Add(message);
                    else
                        inv.Out.WriteLine(result.StatusCode);
                }
                catch (DaemonException e)
                {
                    errors.Add(e.Message);
                }
            }
            if (errors.Count > 0)
                throw new CliException(string.Join('\n', errors));
            return 0;
        },
    };

    public static CommandSpec Top() => new()
    {
        Name = "top",
        Use = "CONTAINER [ps OPTIONS]",
        Short = "Display the running processes of a container",
        AliasesLine = "{0} container top, {0} top",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            flags.Interspersed = false;
            return async inv =>
            {
                var query = new Query();
                if (inv.Args.Count > 1)
                    query.Add("ps_args", string.Join(' ', inv.Args.Skip(1)));
                var top = await inv.Client.GetAsync(C(inv.Args[0]) + "/top", query, DockerJson.Default.ContainerTopResponse).ConfigureAwait(false);
                var tabs = new TabWriter(inv.Out, 20, 1, 3, ' ');
                tabs.Write(string.Join('\t', top.Titles ?? []) + "\n");
                foreach (var process in top.Processes ?? [])
                    tabs.Write(string.Join('\t', process) + "\n");
                tabs.Flush();
                return 0;
            };
        },
    };

    public static CommandSpec Port() => new()
    {
        Name = "port",
        Use = "CONTAINER [PRIVATE_PORT[/PROTO]]",
        Short = "List port mappings or a specific mapping for the container",
        AliasesLine = "{0} container port, {0} port",
        Args = ArgsRule.Between(1, 2),
        Setup = _ => async inv =>
        {
            var container = await inv.Client.GetAsync(C(inv.Args[0]) + "/json", null, DockerJson.Default.ContainerInspect).ConfigureAwait(false);
            var ports = container.NetworkSettings?.Ports ?? [];
            string? wanted = inv.Args.Count == 2 ? inv.Args[1] : null;
            string output = PortText.PortLines(ports, wanted, inv.Args[0]);
            if (output.Length > 0)
                inv.Out.WriteLine(output);
            return 0;
        },
    };

    public static CommandSpec Diff() => new()
    {
        Name = "diff",
        Use = "CONTAINER",
        Short = "Inspect changes to files or directories on a container's filesystem",
        AliasesLine = "{0} container diff, {0} diff",
        Args = ArgsRule.Exactly(1),
        Setup = _ => async inv =>
        {
            var changes = await inv.Client.GetListAsync(C(inv.Args[0]) + "/changes", null, DockerJson.Default.ListFilesystemChange).ConfigureAwait(false);
            var sb = new StringBuilder();
            foreach (var change in changes)
            {
                char kind = (int)change.Kind switch { 0 => 'C', 1 => 'A', 2 => 'D', _ => '?' };
                sb.Append(kind).Append(' ').Append(change.Path).Append('\n');
            }
            inv.Out.Write(sb.ToString());
            return 0;
        },
    };
}
