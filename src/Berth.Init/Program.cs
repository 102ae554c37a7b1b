using System.Reflection;

namespace Berth.Init;

/// <summary>
/// berth-init: what <c>docker run --init</c> runs as PID 1, Docker's docker-init (tini) done by Berth.
/// Docker bind-mounts it at /sbin/docker-init and runs <c>/sbin/docker-init -- CMD ARGS...</c>; it
/// starts the command as its child, forwards the signals it gets to it, reaps every zombie that the
/// container's orphans leave, and exits with the command's status (128+N when signal N ended it).
/// </summary>
static class Program
{
    public const string Version = "0.1.0";

    /// <summary>The commit this build came from (after '+' in the informational version, as the SDK writes it); "" when unknown.</summary>
    static string Commit { get; } =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v && v.IndexOf('+') is var plus and >= 0
            ? v[(plus + 1)..]
            : "";

    static int Main(string[] args)
    {
        InitCommandLine command;
        try
        {
            command = InitCommandLine.Parse(args);
        }
        catch (InitUsageException e)
        {
            Output.WriteError(e.Message);
            Output.WriteError(InitCommandLine.Usage);
            return 1;
        }
        if (command.ShowVersion)
        {
            // tini's form ("tini version 0.19.0 - git.de40ad0"), which dockerd and berthd read for InitCommit.
            Output.WriteLine(Commit.Length == 0 ? $"berth-init version {Version}" : $"berth-init version {Version} - git.{Commit[..Math.Min(7, Commit.Length)]}");
            return 0;
        }
        if (command.ShowHelp)
        {
            Output.WriteLine(InitCommandLine.Usage);
            return 0;
        }
        return Supervisor.Run(command.Command, command.SignalProcessGroup);
    }
}
