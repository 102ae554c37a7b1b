using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Cli;

static class Program
{
    static async Task<int> Main(string[] args)
    {
        // The standard descriptors as plain file streams: System.Console's streams would put a terminal into its own
        // mode (echo, keypad) the moment they are read, which breaks raw mode for attached containers.
        var stdin = StandardStream(0, FileAccess.Read);
        var stdout = StandardStream(1, FileAccess.Write);
        var stderr = StandardStream(2, FileAccess.Write);
        int width = Terminal.GetSize(0) is { } size && size.Columns > 0 ? size.Columns : 80;
        var environment = EnvironmentSnapshot();
        return await App.RunAsync(args, environment, options => new CliContext(stdin, stdout, stderr, options, environment)
        {
            StdinIsTerminal = Terminal.IsTerminal(0),
            StdoutIsTerminal = Terminal.IsTerminal(1),
            StderrIsTerminal = Terminal.IsTerminal(2),
            HelpWidth = width,
        }).ConfigureAwait(false);
    }

    static Stream StandardStream(int fd, FileAccess access)
    {
        try
        {
            var handle = new SafeFileHandle(fd, ownsHandle: false);
            return access == FileAccess.Write ? new DescriptorWriteStream(handle) : new FileStream(handle, access, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A closed descriptor: reads find nothing, writes go nowhere.
            return Stream.Null;
        }
    }

    static Dictionary<string, string?> EnvironmentSnapshot()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            result[(string)e.Key] = (string?)e.Value;
        return result;
    }
}
