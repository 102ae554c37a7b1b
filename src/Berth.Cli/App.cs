using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Templates;
using Berth.Engine.Streams;

namespace Berth.Cli;

/// <summary>
/// The command line's entry: global flags, finding the command (groups and aliases), help, running it, and turning
/// failures into docker's messages and exit statuses (125 for a command line berth refuses, 1 for most errors, the
/// container's status for run, start -a and exec).
/// </summary>
internal static class App
{
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, Func<GlobalOptions, CliContext> makeContext)
    {
        var options = new GlobalOptions();
        var rootFlags = new FlagSet();
        CliContext? cli = null;
        var root = CommandTree.Build();
        try
        {
            options.Define(rootFlags, environment);
            cli = makeContext(options);
            List<string> rest;
            try
            {
                rest = rootFlags.Parse(args);
            }
            catch (FlagParseException e)
            {
                throw new CliException($"{e.Message}\n\nUsage:  {CliContext.ProgramName} [OPTIONS] COMMAND [ARG...]\n\nRun '{CliContext.ProgramName} --help' for more information", 125);
            }
            foreach (var notice in rootFlags.Notices)
                cli.Err.WriteLine(notice);
            if (options.ShowVersion)
            {
                cli.Out.WriteLine($"Berth version {BuildInfo.Version}, build {BuildInfo.GitCommit}");
                return 0;
            }
            if (rest.Count == 0 || rootFlags.HelpRequested)
            {
                cli.Out.Write(HelpText.Render(root, rootFlags, cli.HelpWidth));
                return 0;
            }
            options.Validate();
            if (rest[0] == "help")
                return Help(cli, root, rootFlags, rest.Skip(1).ToList());
            return await RunCommandAsync(cli, root, rest).ConfigureAwait(false);
        }
        catch (Exception e) when (cli is not null && Describe(e) is var (message, status))
        {
            if (message.Length > 0)
                cli.Err.WriteLine(message);
            return status;
        }
        finally
        {
            try
            {
                cli?.Flush();
            }
            catch (IOException)
            {
                // stdout closed under us (berth ps | head): nothing more to say.
            }
        }
    }

    static async Task<int> RunCommandAsync(CliContext cli, CommandSpec root, List<string> rest)
    {
        var command = root.Find(rest[0]);
        if (command is null)
            throw new CliException($"{root.Name}: unknown command: {root.Name} {rest[0]}\n\nRun '{root.Name} --help' for more information");
        int next = 1;
        while (command.IsGroup)
        {
            if (next >= rest.Count || rest[next].StartsWith('-'))
            {
                var groupFlags = new FlagSet();
                cli.Out.Write(HelpText.Render(command, groupFlags, cli.HelpWidth));
                return 0;
            }
            var sub = command.Find(rest[next]);
            if (sub is null)
                throw new CliException($"{root.Name}: unknown command: {command.CommandPath} {rest[next]}\n\nUsage:  {command.UseLine}\n\nRun '{command.CommandPath} --help' for more information");
            command = sub;
            next++;
        }
        var flags = new FlagSet { Environment = cli.Environment };
        var action = command.Setup!(flags);
        List<string> positional;
        try
        {
            positional = flags.Parse(rest.GetRange(next, rest.Count - next));
        }
        catch (FlagParseException e)
        {
            throw new CliException($"{e.Message}\n\nUsage:  {command.UseLine}\n\nRun '{command.CommandPath} --help' for more information", 125);
        }
        foreach (var notice in flags.Notices)
            cli.Err.WriteLine(notice);
        if (flags.HelpRequested)
        {
            cli.Out.Write(HelpText.Render(command, flags, cli.HelpWidth));
            return 0;
        }
        if (command.Args.Check(command, positional.Count) is { } argsError)
            throw new CliException(argsError);
        return await action(new Invocation(cli, command, flags, positional)).ConfigureAwait(false);
    }

    static int Help(CliContext cli, CommandSpec root, FlagSet rootFlags, List<string> topic)
    {
        CommandSpec command = root;
        foreach (var name in topic)
        {
            if (command.Find(name) is not { } next)
                throw new CliException($"unknown help topic: {string.Join(' ', topic)}");
            command = next;
        }
        FlagSet flags = rootFlags;
        if (command != root)
        {
            flags = new FlagSet { Environment = cli.Environment };
            command.Setup?.Invoke(flags);
        }
        cli.Out.Write(HelpText.Render(command, flags, cli.HelpWidth));
        return 0;
    }

    /// <summary>The message to print and the exit status for a failure; null for exceptions that are bugs.</summary>
    static (string, int)? Describe(Exception e) => e switch
    {
        CliException c => (c.Message, c.Status),
        DaemonException d => (d.Message, 1),
        DaemonUnreachableException u => (u.Message, 1),
        EndpointException p => ("Failed to initialize: " + p.Message, 1),
        TemplateException t => ("template parsing error: " + t.Message, 1),
        MultiplexedStreamException m => (m.Message, 1),
        OperationCanceledException => ("", 130),
        // Output piped into a reader that stopped (berth logs | head): end quietly, as docker dies of SIGPIPE.
        IOException io when io.Message.Contains("Broken pipe", StringComparison.Ordinal) => ("", 141),
        IOException io => ("error during connect: " + io.Message, 1),
        System.Text.Json.JsonException j => ("error reading the daemon's answer: " + j.Message, 1),
        UnauthorizedAccessException a => (a.Message, 1),
        _ => null,
    };
}
