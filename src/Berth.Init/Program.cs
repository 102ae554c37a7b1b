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
            Output.WriteLine($"berth-init version {Version}");
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
