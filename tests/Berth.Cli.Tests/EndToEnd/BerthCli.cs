using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>The published berth (artifacts/bin/berth, NativeAOT) against a daemon's socket, beside the docker CLI.</summary>
internal static class BerthCli
{
    public static string Path => RepoPaths.Executable("berth");

    public static CommandResult Run(string socket, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(Path, ["--host", "unix://" + socket, .. args], stdin: stdin, timeout: timeout,
            environment: new Dictionary<string, string> { ["BERTH_CONFIG"] = "/nonexistent-berth-config" });

    public static PtySession Terminal(string socket, params string[] args) =>
        PtySession.Start(Path, ["--host", "unix://" + socket, .. args], new Dictionary<string, string> { ["BERTH_CONFIG"] = "/nonexistent-berth-config" });

    /// <summary>docker's words with the program's name changed, to compare with berth's.</summary>
    public static string AsBerth(string dockerText) =>
        System.Text.RegularExpressions.Regex.Replace(dockerText, @"(?<=^|['\s])docker(?=[\s:'])", "berth", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Replace("Docker daemon", "Berth daemon");

    /// <summary>Runs the same command line with both CLIs and asserts the same status, output and errors.</summary>
    public static void AssertSame(Func<IEnumerable<string>, string?, CommandResult> docker, string socket, string[] args, string? stdin = null) =>
        AssertSame(docker(args, stdin), Run(socket, args, stdin), string.Join(' ', args));

    /// <summary>
    /// For commands that change what they act on: docker on one object, berth on its twin, the twin's name changed
    /// back before comparing.
    /// </summary>
    /// <param name="alike">More pairs of texts (berth's twin's, docker's twin's) to equate, such as their IDs.</param>
    public static void AssertSameOnTwins(Func<IEnumerable<string>, string?, CommandResult> docker, string socket, Func<string, string[]> args,
        string dockerObject, string berthObject, params (string Berth, string Docker)[] alike)
    {
        var expected = docker(args(dockerObject), null);
        var actual = Run(socket, args(berthObject));
        string Equate(string text)
        {
            foreach (var (b, d) in alike.Append((berthObject, dockerObject)))
                text = text.Replace(b, d);
            return text;
        }
        actual = actual with { Stdout = Equate(actual.Stdout), Stderr = Equate(actual.Stderr) };
        AssertSame(expected, actual, string.Join(' ', args(dockerObject)));
    }

    static void AssertSame(CommandResult expected, CommandResult actual, string what)
    {
        Assert.True(expected.ExitCode == actual.ExitCode,
            $"{what}: docker exited {expected.ExitCode}, berth {actual.ExitCode}\ndocker: {expected.Stdout}{expected.Stderr}\nberth: {actual.Stdout}{actual.Stderr}");
        Assert.Equal(SecondsAgo(AsBerth(expected.Stdout)), SecondsAgo(actual.Stdout));
        Assert.Equal(SecondsAgo(AsBerth(expected.Stderr)), SecondsAgo(actual.Stderr));
    }

    /// <summary>
    /// "Exited (0) 1 second ago" and "... 2 seconds ago" as one: the two CLIs run one after the other and may straddle
    /// a second (both compute the text from the same time stamp).
    /// </summary>
    static string SecondsAgo(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(Less than a second|\d+ seconds?) ago", "N seconds ago");
}
