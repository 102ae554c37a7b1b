namespace Berth.Cli.Tests;

/// <summary>The command line's errors and exit statuses, as docker 28 gives them (checked against the real CLI).</summary>
public class AppTests
{
    [Fact]
    public void Unknown_command_exits_1_with_dockers_words()
    {
        var run = TestCli.Run("foo");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("berth: unknown command: berth foo\n\nRun 'berth --help' for more information\n", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void Unknown_subcommand_of_a_group_exits_1()
    {
        var run = TestCli.Run("container", "foo");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("berth: unknown command: berth container foo\n\nUsage:  berth container\n\nRun 'berth container --help' for more information\n", run.Stderr);
    }

    [Fact]
    public void Unknown_flag_exits_125_with_the_usage_line()
    {
        var run = TestCli.Run("ps", "--bogus");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("unknown flag: --bogus\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n", run.Stderr);
    }

    [Fact]
    public void Bad_global_flag_exits_125()
    {
        var run = TestCli.Run("-H");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("flag needs an argument: 'H' in -H\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n", run.Stderr);
        var verify = TestCli.Run("--tlsverify=2", "ps");
        Assert.Equal(125, verify.ExitCode);
        Assert.StartsWith("invalid argument \"2\" for \"--tlsverify\" flag: strconv.ParseBool: parsing \"2\": invalid syntax\n", verify.Stderr);
    }

    [Theory]
    [InlineData(new[] { "run" }, "berth: 'berth run' requires at least 1 argument\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'berth run --help' for more information\n")]
    [InlineData(new[] { "version", "x" }, "berth: 'berth version' accepts no arguments\n\nUsage:  berth version [OPTIONS]\n\nRun 'berth version --help' for more information\n")]
    [InlineData(new[] { "port", "a", "b", "c" }, "berth: 'berth port' requires at least 1 and at most 2 arguments\n\nUsage:  berth port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nRun 'berth port --help' for more information\n")]
    [InlineData(new[] { "rename", "a" }, "berth: 'berth rename' requires 2 arguments\n\nUsage:  berth rename CONTAINER NEW_NAME\n\nRun 'berth rename --help' for more information\n")]
    public void Wrong_argument_counts_exit_1(string[] args, string message)
    {
        var run = TestCli.Run(args);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(message, run.Stderr);
    }

    [Fact]
    public void Invalid_flag_values_of_run_exit_125()
    {
        var run = TestCli.Run("run", "--memory", "abc", "busybox");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n", run.Stderr);
    }

    [Fact]
    public void A_daemon_that_is_not_there_is_named()
    {
        var run = TestCli.Run(["ps"], TestCli.Unreachable(), "");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth-test.sock. Is the berth daemon running?\n", run.Stderr);
    }

    [Fact]
    public void Run_reports_daemon_failures_with_its_prefix_and_exit_125()
    {
        var run = TestCli.Run(["run", "busybox"], TestCli.Unreachable(), "");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("berth: Cannot connect to the Berth daemon at unix:///nonexistent/berth-test.sock. Is the berth daemon running?\n\nRun 'berth run --help' for more information\n", run.Stderr);
    }

    [Fact]
    public void Run_option_errors_exit_125_before_talking_to_the_daemon()
    {
        var pull = TestCli.Run(["run", "--pull", "bogus", "busybox"], TestCli.Unreachable(), "");
        Assert.Equal(125, pull.ExitCode);
        Assert.Equal("berth: invalid pull option: 'bogus': must be one of \"always\", \"missing\" or \"never\"\n\nRun 'berth run --help' for more information\n", pull.Stderr);
        var restart = TestCli.Run(["run", "--rm", "--restart", "always", "busybox"], TestCli.Unreachable(), "");
        Assert.Equal(125, restart.ExitCode);
        Assert.StartsWith("berth: Conflicting options: --restart and --rm\n", restart.Stderr);
    }

    [Fact]
    public void Run_with_a_terminal_wanted_but_no_terminal_on_stdin_refuses()
    {
        var run = TestCli.Run(["run", "-it", "busybox", "true"], TestCli.Unreachable(), "");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("the input device is not a TTY\n", run.Stderr);
        var detached = TestCli.Run(["run", "-d", "-a", "stdout", "busybox"], TestCli.Unreachable(), "");
        Assert.Equal("conflicting options: cannot specify both --attach and --detach\n", detached.Stderr);
    }

    [Fact]
    public void Version_flag_prints_the_client_version()
    {
        var run = TestCli.Run("-v");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Berth version ", run.Stdout);
        Assert.Equal(run.Stdout, TestCli.Run("--version").Stdout);
    }

    [Fact]
    public void Version_without_a_daemon_prints_the_client_and_fails()
    {
        var run = TestCli.Run(["version"], TestCli.Unreachable(), "");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Client:\n Version:           ", run.Stdout);
        Assert.Contains("\n API version:       1.50\n", run.Stdout);
        Assert.Contains("\n Context:           default\n", run.Stdout);
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth-test.sock. Is the berth daemon running?\n", run.Stderr);
    }

    [Theory]
    [InlineData("foo://x", "Failed to initialize: unable to resolve berth endpoint: invalid bind address format: foo://x\n")]
    [InlineData("ssh://x", "Failed to initialize: unable to resolve berth endpoint: ssh hosts are not supported: ssh://x\n")]
    public void Unusable_hosts_are_refused_without_connecting(string host, string message)
    {
        var run = TestCli.Run("-H", host, "ps");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(message, run.Stderr);
    }

    [Fact]
    public void Host_flag_wins_over_the_environment()
    {
        var env = TestCli.Unreachable("/nonexistent/from-env.sock");
        env["DOCKER_HOST"] = "unix:///nonexistent/docker-host.sock";
        var fromEnv = TestCli.Run(["ps"], env, "");
        Assert.Contains("unix:///nonexistent/from-env.sock", fromEnv.Stderr);
        var fromFlag = TestCli.Run(["-H", "unix:///nonexistent/flag.sock", "ps"], env, "");
        Assert.Contains("unix:///nonexistent/flag.sock", fromFlag.Stderr);
        var dockerOnly = TestCli.Run(["ps"], new Dictionary<string, string?> { ["DOCKER_HOST"] = "tcp://127.0.0.1:1" }, "");
        Assert.Equal("Cannot connect to the Berth daemon at tcp://127.0.0.1:1. Is the berth daemon running?\n", dockerOnly.Stderr);
    }

    [Fact]
    public void Cp_without_a_container_on_either_side_is_docker_s_error()
    {
        var run = TestCli.Run("cp", "a", "/tmp/x");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("must specify at least one container source\n", run.Stderr);
    }

    [Fact]
    public void Aliases_reach_the_same_command()
    {
        string ps = TestCli.Run("ps", "--help").Stdout;
        Assert.Equal(ps.Replace("berth ps [OPTIONS]", "berth container ls [OPTIONS]"), TestCli.Run("container", "ls", "--help").Stdout);
        Assert.Equal(TestCli.Run("container", "ls", "--help").Stdout, TestCli.Run("container", "list", "--help").Stdout);
        Assert.Equal(1, TestCli.Run(["container", "ps"], TestCli.Unreachable(), "").ExitCode);
    }
}
