using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Streams;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth start" (with -a/-i: attach, wait, start, stream) and "berth attach".</summary>
internal static class StartAttachCommands
{
    public static CommandSpec Start() => new()
    {
        Name = "start",
        Use = "[OPTIONS] CONTAINER [CONTAINER...]",
        Short = "Start one or more stopped containers",
        AliasesLine = "{0} container start, {0} start",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            var attach = flags.Bool("attach", 'a', false, "Attach STDOUT/STDERR and forward signals");
            var checkpoint = flags.String("checkpoint", null, "", "Restore from this checkpoint");
            var checkpointDir = flags.String("checkpoint-dir", null, "", "Use a custom checkpoint storage directory");
            checkpoint.Flag.Hidden = true;
            checkpointDir.Flag.Hidden = true;
            var detachKeys = flags.String("detach-keys", null, "", "Override the key sequence for detaching a container");
            var interactive = flags.Bool("interactive", 'i', false, "Attach container's STDIN");
            return async inv =>
            {
                if (attach.Value || interactive.Value)
                    return await StartAttachedAsync(inv, interactive.Value, detachKeys.Value).ConfigureAwait(false);
                if (checkpoint.Value.Length > 0 || checkpointDir.Value.Length > 0)
                    throw new CliException("checkpoints are not supported by berth");
                var failed = new List<string>();
                foreach (var name in inv.Args)
                {
                    try
                    {
                        await inv.Client.SendAndDrainAsync("POST", $"/containers/{Query.PathSegment(name)}/start").ConfigureAwait(false);
                        inv.Out.WriteLine(name);
                    }
                    catch (DaemonException e)
                    {
                        inv.Err.WriteLine(e.Message);
                        failed.Add(name);
                    }
                }
                if (failed.Count > 0)
                    throw new CliException($"Error: failed to start containers: {string.Join(", ", failed)}");
                return 0;
            };
        },
    };

    static async Task<int> StartAttachedAsync(Invocation inv, bool interactive, string detachKeys)
    {
        if (inv.Args.Count > 1)
            throw new CliException("you cannot start and attach multiple containers at once");
        var cli = inv.Cli;
        var container = await cli.Client.GetAsync($"/containers/{Query.PathSegment(inv.Args[0])}/json", null, DockerJson.Default.ContainerInspect).ConfigureAwait(false);
        bool tty = container.Config?.Tty ?? false;
        using var signals = tty ? null : new SignalProxy(cli.Client, container.Id);
        string keys = detachKeys.Length > 0 ? detachKeys : cli.Config.DetachKeys ?? "";
        bool stdin = interactive && (container.Config?.OpenStdin ?? false);
        using var hijacked = await AttachRequest.ContainerAsync(cli.Client, inv.Args[0], stdin, true, true, keys).ConfigureAwait(false);
        var streams = HijackedStreams.RunAsync(cli, hijacked.Connection, new AttachStreamOptions(tty, stdin, true, true, DetachSequence.Parse(keys)));
        using var waiter = await ContainerWaiter.StartAsync(cli.Client, container.Id, container.HostConfig?.AutoRemove == true ? "removed" : "next-exit").ConfigureAwait(false);
        try
        {
            await cli.Client.SendAndDrainAsync("POST", $"/containers/{Query.PathSegment(inv.Args[0])}/start").ConfigureAwait(false);
        }
        catch (DaemonException)
        {
            hijacked.Dispose();
            try
            {
                await streams.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
            throw;
        }
        using var resizer = tty && cli.StdoutIsTerminal ? await TtyResizer.StartAsync(cli.Client, $"/containers/{container.Id}/resize").ConfigureAwait(false) : null;
        if (await streams.ConfigureAwait(false))
            return 0;
        int status = await waiter.StatusAsync(cli.Err).ConfigureAwait(false);
        return status;
    }

    public static CommandSpec Attach() => new()
    {
        Name = "attach",
        Use = "[OPTIONS] CONTAINER",
        Short = "Attach local standard input, output, and error streams to a running container",
        AliasesLine = "{0} container attach, {0} attach",
        Args = ArgsRule.Exactly(1),
        Setup = flags =>
        {
            var detachKeys = flags.String("detach-keys", null, "", "Override the key sequence for detaching a container");
            var noStdin = flags.Bool("no-stdin", null, false, "Do not attach STDIN");
            var proxy = flags.Bool("sig-proxy", null, true, "Proxy all received signals to the process");
            return inv => AttachAsync(inv, detachKeys.Value, noStdin.Value, proxy.Value);
        },
    };

    static async Task<int> AttachAsync(Invocation inv, string detachKeys, bool noStdin, bool proxy)
    {
        var cli = inv.Cli;
        string name = inv.Args[0];
        using var waiter = await ContainerWaiter.StartAsync(cli.Client, name, "").ConfigureAwait(false);
        var container = await InspectRunningAsync(cli.Client, name).ConfigureAwait(false);
        bool tty = container.Config?.Tty ?? false;
        if (!noStdin && tty && !cli.StdinIsTerminal)
            throw new CliException("the input device is not a TTY");
        string keys = detachKeys.Length > 0 ? detachKeys : cli.Config.DetachKeys ?? "";
        bool stdin = !noStdin && (container.Config?.OpenStdin ?? false);
        using var signals = proxy && !tty ? new SignalProxy(cli.Client, container.Id) : null;
        using var hijacked = await AttachRequest.ContainerAsync(cli.Client, name, stdin, true, true, keys).ConfigureAwait(false);
        await InspectRunningAsync(cli.Client, name).ConfigureAwait(false);
        using var resizer = tty && cli.StdoutIsTerminal ? await TtyResizer.StartAsync(cli.Client, $"/containers/{container.Id}/resize", nudge: true).ConfigureAwait(false) : null;
        if (await HijackedStreams.RunAsync(cli, hijacked.Connection, new AttachStreamOptions(tty, stdin, true, true, DetachSequence.Parse(keys))).ConfigureAwait(false))
            throw new CliException("read escape sequence");
        var (status, error) = await waiter.ResultAsync().ConfigureAwait(false);
        if (error is not null)
            throw new CliException(error);
        return status;
    }

    static async Task<ContainerInspect> InspectRunningAsync(DaemonClient client, string name)
    {
        var c = await client.GetAsync($"/containers/{Query.PathSegment(name)}/json", null, DockerJson.Default.ContainerInspect).ConfigureAwait(false);
        if (c.State is { Running: false })
            throw new CliException("cannot attach to a stopped container, start it first");
        if (c.State is { Paused: true })
            throw new CliException("cannot attach to a paused container, unpause it first");
        if (c.State is { Restarting: true })
            throw new CliException("cannot attach to a restarting container, wait until it is running");
        return c;
    }
}
