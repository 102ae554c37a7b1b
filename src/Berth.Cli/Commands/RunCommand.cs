using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Streams;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth run" (create, attach, wait, start, stream, exit with the container's status) and "berth create".
/// Failures of the daemon end with 125, or 126/127 when the command cannot be run, as docker's run does.
/// </summary>
internal static class RunCommand
{
    public static CommandSpec Run() => new()
    {
        Name = "run",
        Use = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        Short = "Create and run a new container from an image",
        AliasesLine = "{0} container run, {0} run",
        Category = CommandCategory.Top,
        TopOrder = 1,
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            flags.Interspersed = false;
            var detach = flags.Bool("detach", 'd', false, "Run container in background and print container ID");
            var sigProxy = flags.Bool("sig-proxy", null, true, "Proxy received signals to the process");
            var detachKeys = flags.String("detach-keys", null, "", "Override the key sequence for detaching a container");
            var options = new ContainerOptions(flags, flags.Environment);
            return inv => RunAsync(inv, options, detach.Value, sigProxy.Value, detachKeys.Value);
        },
    };

    public static CommandSpec Create() => new()
    {
        Name = "create",
        Use = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        Short = "Create a new container",
        AliasesLine = "{0} container create, {0} create",
        Args = ArgsRule.AtLeast(1),
        Setup = flags =>
        {
            flags.Interspersed = false;
            var options = new ContainerOptions(flags, flags.Environment, forCreate: true);
            return async inv =>
            {
                ContainerCreateRequest request;
                try
                {
                    request = options.ToRequest(inv.Args[0], inv.Args.Skip(1).ToList());
                }
                catch (CliException e)
                {
                    throw Reported(inv, e.Message, withHelp: true, 125);
                }
                string id = await ContainerCreation.CreateAsync(inv.Cli, options, request).ConfigureAwait(false);
                inv.Out.WriteLine(id);
                return 0;
            };
        },
    };

    static async Task<int> RunAsync(Invocation inv, ContainerOptions options, bool detach, bool sigProxy, string detachKeys)
    {
        var cli = inv.Cli;
        ContainerCreateRequest request;
        try
        {
            request = options.ToRequest(inv.Args[0], inv.Args.Skip(1).ToList());
        }
        catch (CliException e)
        {
            throw Reported(inv, e.Message, withHelp: true, 125);
        }
        request.ArgsEscaped = false;
        if (!detach)
        {
            if (request.AttachStdin && request.Tty && !cli.StdinIsTerminal)
                throw new CliException("the input device is not a TTY");
        }
        else
        {
            if (options.Attach.Value.Count > 0)
                throw new CliException("conflicting options: cannot specify both --attach and --detach");
            request.AttachStdin = false;
            request.AttachStdout = false;
            request.AttachStderr = false;
            request.StdinOnce = false;
        }

        string id;
        try
        {
            id = await ContainerCreation.CreateAsync(cli, options, request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonException or CliException or DaemonUnreachableException)
        {
            throw Reported(inv, e.Message, withHelp: true, StartFailureStatus(e.Message));
        }
        using var signals = sigProxy ? new SignalProxy(cli.Client, id) : null;
        if (!request.AttachStdout && !request.AttachStderr)
        {
            inv.Out.WriteLine(id);
            cli.Flush();
        }
        bool attach = request.AttachStdin || request.AttachStdout || request.AttachStderr;
        ApiResponse? hijacked = null;
        if (attach)
        {
            string keys = detachKeys.Length > 0 ? detachKeys : cli.Config.DetachKeys ?? "";
            hijacked = await AttachRequest.ContainerAsync(cli.Client, id, request.AttachStdin, request.AttachStdout, request.AttachStderr, keys).ConfigureAwait(false);
        }
        using var _ = hijacked;
        using var waiter = await ContainerWaiter.StartAsync(cli.Client, id, options.AutoRemove.Value ? "removed" : "next-exit").ConfigureAwait(false);
        Task<bool>? streams = null;
        if (hijacked is not null)
        {
            var streamOptions = new AttachStreamOptions(request.Tty, request.AttachStdin, request.AttachStdout, request.AttachStderr,
                DetachSequence.Parse(detachKeys.Length > 0 ? detachKeys : cli.Config.DetachKeys));
            streams = HijackedStreams.RunAsync(cli, hijacked.Connection, streamOptions);
        }
        try
        {
            await cli.Client.SendAndDrainAsync("POST", $"/containers/{id}/start").ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonException or DaemonUnreachableException)
        {
            hijacked?.Dispose();
            if (streams is not null)
            {
                try
                {
                    await streams.ConfigureAwait(false);
                }
                catch (Exception inner) when (inner is IOException or ObjectDisposedException)
                {
                }
            }
            if (options.AutoRemove.Value)
                await waiter.StatusAsync(TextWriter.Null).ConfigureAwait(false);
            throw Reported(inv, e.Message, withHelp: true, StartFailureStatus(e.Message));
        }
        using var resizer = attach && request.Tty && cli.StdoutIsTerminal
            ? await TtyResizer.StartAsync(cli.Client, $"/containers/{id}/resize").ConfigureAwait(false)
            : null;
        if (streams is not null && await streams.ConfigureAwait(false))
            return 0; // detached with the key sequence
        if (!request.AttachStdout && !request.AttachStderr)
            return 0;
        return await waiter.StatusAsync(cli.Err).ConfigureAwait(false);
    }

    /// <summary>docker's reportError: "berth: message" and, for problems with the command line, a pointer to --help.</summary>
    static CliException Reported(Invocation inv, string message, bool withHelp, int status)
    {
        string text = $"{CliContext.ProgramName}: {message}";
        if (withHelp)
            text += $"\n\nRun '{inv.Command.CommandPath} --help' for more information";
        return new CliException(text, status);
    }

    /// <summary>docker's runStartContainerErr: 127 when the command is not found, 126 when it cannot be run, else 125.</summary>
    public static int StartFailureStatus(string message)
    {
        if (message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal)
            || message.Contains("system cannot find the file specified", StringComparison.Ordinal))
            return 127;
        if (message.Contains("permission denied", StringComparison.Ordinal) || message.Contains("is a directory", StringComparison.Ordinal))
            return 126;
        return 125;
    }
}
