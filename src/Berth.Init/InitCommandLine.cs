namespace Berth.Init;

/// <summary>A command line berth-init cannot run.</summary>
sealed class InitUsageException(string message) : Exception(message);

/// <summary>
/// tini's command line, as far as Docker and people use it: options, then <c>--</c> (or the first
/// word that is not an option), then the command. <c>-s</c> (be a subreaper) is accepted and always
/// on when not PID 1; <c>-g</c> sends forwarded signals to the command's whole process group.
/// </summary>
sealed record InitCommandLine(IReadOnlyList<string> Command, bool SignalProcessGroup, bool ShowVersion, bool ShowHelp)
{
    public const string Usage = "usage: berth-init [-g] [-s] [--version] [--] PROGRAM [ARGS...]";

    public static InitCommandLine Parse(IReadOnlyList<string> args)
    {
        bool group = false;
        int i = 0;
        for (; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (!arg.StartsWith('-') || arg == "-")
                break;
            switch (arg)
            {
                case "--version":
                    return new InitCommandLine([], false, ShowVersion: true, ShowHelp: false);
                case "-h" or "--help":
                    return new InitCommandLine([], false, ShowVersion: false, ShowHelp: true);
                case "-g":
                    group = true;
                    break;
                case "-s":
                    break;
                default:
                    throw new InitUsageException($"berth-init: unknown option {arg}");
            }
        }
        if (i >= args.Count)
            throw new InitUsageException("berth-init: no command given");
        return new InitCommandLine(args.Skip(i).ToList(), group, ShowVersion: false, ShowHelp: false);
    }
}
