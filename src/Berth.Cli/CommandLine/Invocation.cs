using Berth.Cli.Client;

namespace Berth.Cli.CommandLine;

/// <summary>One run of a command: the process context, the command as found, its parsed flags and positional arguments.</summary>
internal sealed class Invocation(CliContext cli, CommandSpec command, FlagSet flags, IReadOnlyList<string> args)
{
    public CliContext Cli { get; } = cli;

    public CommandSpec Command { get; } = command;

    public FlagSet Flags { get; } = flags;

    public IReadOnlyList<string> Args { get; } = args;

    public TextWriter Out => Cli.Out;

    public TextWriter Err => Cli.Err;

    public DaemonClient Client => Cli.Client;
}
