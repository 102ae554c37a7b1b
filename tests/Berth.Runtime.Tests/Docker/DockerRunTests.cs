using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>`docker run --runtime berth`: output, exit status, an interactive terminal, mounts as runc makes them.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerRunTests(BerthDockerDaemon docker)
{
    [Fact]
    public void Run_rm_prints_the_output_and_returns_the_exit_status()
    {
        var result = docker.Run("--rm", DockerDaemon.Image, "sh", "-c", "echo hello from berth; echo to stderr >&2; exit 3");
        Assert.True(result.ExitCode == 3, $"exit status {result.ExitCode}, expected 3\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        Assert.Equal("hello from berth\n", result.Stdout);
        Assert.Contains("to stderr", result.Stderr);
    }

    [Fact]
    public void The_container_is_run_by_berth_runtime()
    {
        string name = TestIds.New("docker-which");
        try
        {
            docker.StartDetached(name, []);
            Assert.Equal("berth", docker.Inspect(name, "{{.HostConfig.Runtime}}"));
            Assert.Equal("running", docker.RuntimeStatus(name));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Run_it_gives_an_interactive_shell_on_a_terminal()
    {
        using var session = docker.Terminal("run", "--runtime", "berth", "--network", "none", "--rm", "-it", DockerDaemon.Image, "sh");
        session.ReadUntil("/ # ");
        session.Type("echo typed-$((6*7))\r");
        // The shell ran what was typed (its echo of the line may come redrawn by ash's line editor, so only the result is checked).
        session.ReadUntil("typed-42");
        session.Type("tty; exit 5\r");
        session.ReadUntil("/dev/pts/0");
        Assert.Equal(5, session.WaitExit());
    }

    [Theory]
    [InlineData("/nonexistent", 127)]
    [InlineData("no-such-command", 127)]
    [InlineData("/etc/passwd", 126)]
    public void A_command_that_cannot_run_fails_with_the_exit_status_runc_gives(string command, int expected)
    {
        // dockerd derives 126/127 from the runtime's error message, read from its --log file.
        var berth = docker.Run("--rm", DockerDaemon.Image, command);
        var runc = docker.Cli("run", "--runtime", "runc", "--network", "none", "--rm", DockerDaemon.Image, command);
        Assert.True(runc.ExitCode == expected, $"runc: exit status {runc.ExitCode}\n{runc.Stderr}");
        Assert.True(berth.ExitCode == expected, $"berth-runtime: exit status {berth.ExitCode}, runc's is {expected}\n{berth.Stderr}");
    }

    [Fact]
    public void A_tmpfs_keeps_the_mode_of_the_directory_it_covers_as_with_runc()
    {
        string[] args = ["--rm", "--tmpfs", "/run", "--tmpfs", "/tmp", "--tmpfs", "/new", DockerDaemon.Image, "stat", "-c", "%n %a", "/run", "/tmp", "/new"];
        var berth = docker.Run(args).EnsureSuccess("docker run with tmpfs mounts (berth)");
        var runc = docker.Cli(["run", "--runtime", "runc", "--network", "none", .. args]).EnsureSuccess("docker run with tmpfs mounts (runc)");
        Assert.Equal("/run 755\n/tmp 1777\n/new 1777\n", runc.Stdout);
        Assert.Equal(runc.Stdout, berth.Stdout);
    }
}
