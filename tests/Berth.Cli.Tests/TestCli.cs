using System.Text;

namespace Berth.Cli.Tests;

/// <summary>The outcome of one in-process run of berth's command line.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs berth's App in this process with captured streams and a chosen environment.</summary>
internal static class TestCli
{
    public static CliRun Run(params string[] args) => Run(args, new Dictionary<string, string?>(), "");

    public static CliRun Run(string[] args, Dictionary<string, string?> environment, string stdin, int helpWidth = 80)
    {
        environment.TryAdd("HOME", "/nonexistent-home");
        var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        var output = new MemoryStream();
        var error = new MemoryStream();
        int code = App.RunAsync(args, environment, options => new CliContext(input, output, error, options, environment)
        {
            HelpWidth = helpWidth,
        }).GetAwaiter().GetResult();
        return new CliRun(code, Encoding.UTF8.GetString(output.ToArray()), Encoding.UTF8.GetString(error.ToArray()));
    }

    /// <summary>Environment that points berth at a socket that does not exist.</summary>
    public static Dictionary<string, string?> Unreachable(string socket = "/nonexistent/berth-test.sock") => new() { ["BERTH_HOST"] = "unix://" + socket };

    public static string Golden(string relative) =>
        File.ReadAllText(Path.Combine(Berth.TestSupport.RepoPaths.Root, "tests", "Berth.Cli.Tests", "Golden", relative));
}
