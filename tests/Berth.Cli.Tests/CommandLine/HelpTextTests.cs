namespace Berth.Cli.Tests.CommandLine;

/// <summary>"berth X --help" prints exactly what docker 28 prints for "docker X --help" (the program name aside).</summary>
public class HelpTextTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        string dir = Path.Combine(Berth.TestSupport.RepoPaths.Root, "tests", "Berth.Cli.Tests", "Golden", "help");
        foreach (var file in Directory.GetFiles(dir, "*.txt").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_matches_docker(string command)
    {
        string expected = TestCli.Golden($"help/{command}.txt");
        var run = TestCli.Run([.. command.Split('_'), "--help"], new Dictionary<string, string?>(), "");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public void Help_wraps_to_the_terminal_width()
    {
        // docker ps --help on a terminal 60 columns wide (a word longer than the room stays whole, as in pflag).
        var narrow = TestCli.Run(["ps", "--help"], new Dictionary<string, string?>(), "", helpWidth: 60);
        Assert.Equal(TestCli.Golden("help-ps-width60.txt"), narrow.Stdout);
    }

    [Fact]
    public void Help_of_a_group_lists_its_commands()
    {
        var run = TestCli.Run("container", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage:  berth container COMMAND\n\nManage containers\n\nCommands:\n  attach      Attach local standard input", run.Stdout);
        Assert.Contains("\n  ls          List containers\n", run.Stdout);
        Assert.EndsWith("\n\nRun 'berth container COMMAND --help' for more information on a command.\n", run.Stdout);
    }

    [Fact]
    public void Root_help_lists_common_management_and_other_commands()
    {
        var run = TestCli.Run();
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage:  berth [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n  run         Create and run a new container from an image\n  exec        Execute a command in a running container\n  ps          List containers\n  build       Build an image from a Dockerfile\n", run.Stdout);
        Assert.Contains("\nManagement Commands:\n  builder     Manage builds\n  container   Manage containers\n  image       Manage images\n  manifest    Manage Docker image manifests and manifest lists\n  network     Manage networks\n  registry    Serve and maintain an image registry\n  system      Manage Berth\n  volume      Manage volumes\n", run.Stdout);
        Assert.Contains("\nGlobal Options:\n      --config string      Location of client config files (default\n", run.Stdout);
        Assert.Contains("  -H, --host list          Daemon socket to connect to\n", run.Stdout);
    }

    [Fact]
    public void Help_command_shows_a_commands_help()
    {
        Assert.Equal(TestCli.Golden("help/ps.txt"), TestCli.Run("help", "ps").Stdout);
        var unknown = TestCli.Run("help", "foo");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("unknown help topic: foo\n", unknown.Stderr);
    }
}
