using Berth.TestSupport;

namespace Berth.Runtime.Tests.Podman;

/// <summary>`podman run` with berth-runtime: output, exit status, terminals, Podman's tmpfs mounts.</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanRunTests(PodmanHost podman)
{
    [Fact]
    public void Run_rm_prints_the_output_and_returns_the_exit_status()
    {
        var result = podman.Run("--rm", PodmanHost.Image, "sh", "-c", "echo hello from berth; echo to stderr >&2; exit 3");
        Assert.True(result.ExitCode == 3, $"exit status {result.ExitCode}, expected 3\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        Assert.Equal("hello from berth\n", result.Stdout);
        Assert.Contains("to stderr", result.Stderr);
    }

    [Fact]
    public void The_container_is_run_by_berth_runtime()
    {
        string name = TestIds.New("podman-which");
        try
        {
            podman.StartDetached(name, []);
            Assert.Equal(podman.Runtime, podman.Inspect(name, "{{.OCIRuntime}}"));
            Assert.Equal("running", podman.RuntimeStatus(name));
        }
        finally
        {
            podman.Remove(name);
        }
    }

    [Fact]
    public void Run_t_gives_the_process_a_terminal()
    {
        var result = podman.Run("--rm", "-t", PodmanHost.Image, "sh", "-c", "tty; [ -t 1 ] && echo stdout-is-a-tty");
        result.EnsureSuccess("podman run -t");
        Assert.Contains("/dev/pts/0", result.Stdout);
        Assert.Contains("stdout-is-a-tty", result.Stdout);
    }

    [Fact]
    public void Run_it_gives_an_interactive_shell_on_a_terminal()
    {
        using var session = podman.Terminal(["run", .. podman.RunOptions, "--rm", "-it", PodmanHost.Image, "sh"]);
        session.ReadUntil("/ # ");
        session.Type("echo typed-$((6*7))\r");
        session.ReadUntil("typed-42");
        Assert.Contains("echo typed-$((6*7))", session.Output);
        session.Type("exit 5\r");
        Assert.Equal(5, session.WaitExit());
    }

    [Theory]
    [InlineData("/nonexistent", 127)]
    [InlineData("no-such-command", 127)]
    [InlineData("/etc/passwd", 126)]
    public void A_command_that_cannot_run_fails_with_the_exit_status_runc_gives(string command, int expected)
    {
        // Podman derives 126/127 from the runtime's error message.
        var berth = podman.Run("--rm", PodmanHost.Image, command);
        var runc = podman.Cli(["run", .. podman.RunOptions, "--rm", PodmanHost.Image, command], runtime: "runc");
        Assert.True(runc.ExitCode == expected, $"runc: exit status {runc.ExitCode}\n{runc.Stderr}");
        Assert.True(berth.ExitCode == expected, $"berth-runtime: exit status {berth.ExitCode}, runc's is {expected}\n{berth.Stderr}");
    }

    [Fact]
    public void Read_only_gets_writable_tmpfs_mounts_copied_up_from_the_image()
    {
        // Podman's --tmpfs and the /run, /tmp, /var/tmp of --read-only carry runc's "tmpcopyup":
        // the tmpfs over /etc starts with the image's /etc.
        var result = podman.Run("--rm", "--read-only", "--tmpfs", "/etc", PodmanHost.Image, "sh", "-c",
            "grep ^root: /etc/passwd; stat -c '%n %a' /run /tmp; touch /tmp/x /run/x /etc/x && echo writable; touch /x 2>/dev/null || echo root-read-only");
        result.EnsureSuccess("podman run --read-only --tmpfs /etc");
        Assert.Contains("root:x:0:0:root:/root:/bin/sh", result.Stdout);
        Assert.Contains("/run 755", result.Stdout);
        Assert.Contains("/tmp 1777", result.Stdout);
        Assert.Contains("writable", result.Stdout);
        Assert.Contains("root-read-only", result.Stdout);
    }
}
