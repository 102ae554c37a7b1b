using Berth.Cli.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// docker's pattern for commands over several containers: each one in turn, its name printed when it worked, the
/// errors printed together at the end (one per line) with exit status 1.
/// </summary>
internal static class ForEach
{
    public static async Task<int> RunAsync(CommandLine.Invocation inv, IEnumerable<string> names, Func<string, Task> action,
        Func<Exception, bool>? reportOnly = null)
    {
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await action(name).ConfigureAwait(false);
                inv.Out.WriteLine(name);
            }
            catch (Exception e) when (e is DaemonException or CliException)
            {
                if (reportOnly?.Invoke(e) == true)
                {
                    inv.Err.WriteLine(e.Message);
                    continue;
                }
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0)
            throw new CliException(string.Join('\n', errors));
        return 0;
    }
}
