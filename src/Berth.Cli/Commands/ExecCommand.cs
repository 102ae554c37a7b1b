using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Streams;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth exec": a process in a running container; its exit status is berth's.</summary>
internal static class ExecCommand
{
    public static CommandSpec Spec() => new()
    {
        Name = "exec",
        Use = "[OPTIONS] CONTAINER COMMAND [ARG...]",
        Short = "Execute a command in a running container",
        AliasesLine = "{0} container exec, {0} exec",
        Category = CommandCategory.Top,
        TopOrder = 2,
        Args = ArgsRule.AtLeast(2),
        Setup = flags =>
        {
            flags.Interspersed = false;
            var detach = flags.Bool("detach", 'd', false, "Detached mode: run command in the background");
            var detachKeys = flags.String("detach-keys", null, "", "Override the key sequence for detaching a container");
            var env = flags.List("env", 'e', "Set environment variables", v => KeyValueOptions.ValidateEnv(v, flags.Environment));
            var envFile = flags.List("env-file", null, "Read in a file of environment variables");
            var interactive = flags.Bool("interactive", 'i', false, "Keep STDIN open even if not attached");
            var privileged = flags.Bool("privileged", null, false, "Give extended privileges to the command");
            var tty = flags.Bool("tty", 't', false, "Allocate a pseudo-TTY");
            var user = flags.String("user", 'u', "", "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
            var workdir = flags.String("workdir", 'w', "", "Working directory inside the container");
            return async inv =>
            {
                var cli = inv.Cli;
                var environment = new List<string>();
                foreach (var file in envFile.Value)
                    environment.AddRange(KeyValueOptions.ReadFile(file, flags.Environment));
                environment.AddRange(env.Value);
                string keys = detachKeys.Value.Length > 0 ? detachKeys.Value : cli.Config.DetachKeys ?? "";
                var request = new ExecCreateRequest
                {
                    User = user.Value,
                    Privileged = privileged.Value,
                    Tty = tty.Value,
                    Cmd = inv.Args.Skip(1).ToList(),
                    WorkingDir = workdir.Value,
                    Env = environment,
                    AttachStdout = !detach.Value,
                    AttachStderr = !detach.Value,
                    AttachStdin = !detach.Value && interactive.Value,
                    DetachKeys = keys,
                };
                string container = inv.Args[0];
                // An unknown container is reported before the terminal check, as docker does.
                await cli.Client.GetBytesAsync($"/containers/{Query.PathSegment(container)}/json").ConfigureAwait(false);
                if (!detach.Value && request.AttachStdin && request.Tty && !cli.StdinIsTerminal)
                    throw new CliException("the input device is not a TTY");
                if (request.Tty && cli.StdoutIsTerminal)
                    request.ConsoleSize = TtyResizer.ConsoleSize();
                var created = await cli.Client.PostAsync($"/containers/{Query.PathSegment(container)}/exec", null,
                    DaemonClientTyped.Json(request, DockerJson.Default.ExecCreateRequest), DockerJson.Default.IdResponse).ConfigureAwait(false);
                string execId = created.Id;
                if (execId.Length == 0)
                    throw new CliException("exec ID empty");
                var start = new ExecStartRequest { Detach = detach.Value, Tty = request.Tty, ConsoleSize = request.ConsoleSize };
                if (detach.Value)
                {
                    await cli.Client.SendAndDrainAsync("POST", $"/exec/{execId}/start", body: DaemonClientTyped.Json(start, DockerJson.Default.ExecStartRequest)).ConfigureAwait(false);
                    return 0;
                }
                using var hijacked = await AttachRequest.ExecAsync(cli.Client, execId, start).ConfigureAwait(false);
                var streams = HijackedStreams.RunAsync(cli, hijacked.Connection,
                    new AttachStreamOptions(request.Tty, request.AttachStdin, true, true, DetachSequence.Parse(keys)));
                using var resizer = request.Tty && cli.StdinIsTerminal ? await TtyResizer.StartAsync(cli.Client, $"/exec/{execId}/resize").ConfigureAwait(false) : null;
                if (await streams.ConfigureAwait(false))
                    throw new CliException("read escape sequence");
                try
                {
                    var inspect = await cli.Client.GetAsync($"/exec/{execId}/json", null, DockerJson.Default.ExecInspect).ConfigureAwait(false);
                    return inspect.ExitCode ?? 0;
                }
                catch (DaemonUnreachableException)
                {
                    return 255;
                }
            };
        },
    };
}
