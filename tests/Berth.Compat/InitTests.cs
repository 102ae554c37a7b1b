using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// <c>docker run --init</c>: berth-init at PID 1 as /sbin/docker-init, the command its child, signals
/// forwarded, zombies reaped, the command's exit status the container's.
/// </summary>
public sealed class InitTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    [Fact]
    public void Pid_1_is_docker_init_and_the_command_its_child()
    {
        var ps = _d.Cli("run", "--rm", "--init", Image, "ps", "-o", "pid,ppid,args").EnsureSuccess("docker run --init ps");
        var lines = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^1\s+0\s+/sbin/docker-init -- ps -o pid,ppid,args$", lines[1]);
        Assert.Matches(@"^\d+\s+1\s+ps -o pid,ppid,args$", lines[2]);
        Assert.Equal("Seccomp:2", _d.Cli("run", "--rm", "--init", Image, "sh", "-c", "grep ^Seccomp: /proc/1/status | tr -d '\\t'").Stdout.Trim());
    }

    [Fact]
    public void Inspect_shows_the_command_and_init_as_docker_does()
    {
        const string name = "compat-init-inspect";
        _d.Cli("create", "--name", name, "--init", Image, "sleep", "5").EnsureSuccess("docker create --init");
        try
        {
            Assert.Equal("true sleep [5]", _d.Inspect(name, "{{.HostConfig.Init}} {{.Path}} {{.Args}}"));
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Orphans_are_reaped_and_leave_no_zombie()
    {
        // The subshell starts `true` in the background and exits: `true` is orphaned to PID 1 and ends;
        // its /proc entry stays while it is a zombie and goes when PID 1 reaps it.
        const string script = "(true & echo $! > /tmp/orphan); p=$(cat /tmp/orphan); while [ -e /proc/$p ]; do sleep 0.05; done; ps -o stat | grep -c ^Z";
        var run = _d.Cli(["run", "--rm", "--init", Image, "sh", "-c", script], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal("0", run.Stdout.Trim());
    }

    [Fact]
    public void Stop_ends_the_command_through_the_forwarded_SIGTERM()
    {
        const string name = "compat-init-stop";
        _d.Cli("run", "-d", "--name", name, "--init", Image, "sleep", "1000").EnsureSuccess("docker run -d --init");
        try
        {
            // Once sleep runs, berth-init has its signals blocked and waits for them.
            Wait.Until(() => _d.Cli("top", name).Stdout.Split('\n').Any(l => l.EndsWith(" sleep 1000") && !l.Contains("docker-init")), "sleep to run under berth-init");
            _d.Cli("stop", name).EnsureSuccess("docker stop");
            // 143 is 128+SIGTERM: sleep died of the SIGTERM berth-init passed on (without --init, sleep as
            // PID 1 ignores SIGTERM and the stop ends with SIGKILL, 137).
            Assert.Equal("143", _d.Inspect(name, "{{.State.ExitCode}}"));
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Kill_with_a_signal_reaches_the_command()
    {
        const string name = "compat-init-kill";
        _d.Cli("run", "-d", "--name", name, "--init", Image, "sh", "-c", "trap 'echo got USR1; exit 3' USR1; echo ready; while true; do sleep 0.1; done")
            .EnsureSuccess("docker run -d --init");
        try
        {
            Wait.Until(() => _d.Cli("logs", name).Stdout.Contains("ready"), "the trap to be set");
            _d.Cli("kill", "-s", "USR1", name).EnsureSuccess("docker kill -s USR1");
            Assert.Equal("3", _d.Cli("wait", name).EnsureSuccess("docker wait").Stdout.Trim());
            Assert.Contains("got USR1", _d.Cli("logs", name).Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void The_command_s_exit_status_is_the_container_s()
    {
        Assert.Equal(7, _d.Cli("run", "--rm", "--init", Image, "sh", "-c", "exit 7").ExitCode);
        Assert.Equal(128 + 10, _d.Cli("run", "--rm", "--init", Image, "sh", "-c", "kill -USR1 $$").ExitCode);
        var missing = _d.Cli("run", "--rm", "--init", Image, "no-such-command");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("exec no-such-command failed: No such file or directory", missing.Stderr);
    }

    [Fact]
    public void With_a_terminal_the_command_is_the_foreground_group_and_gets_ctrl_c()
    {
        using var session = _d.Terminal("run", "--rm", "-it", "--init", Image, "sh", "-c", "echo ready; exec cat");
        session.ReadUntil("ready", TimeSpan.FromSeconds(30));
        session.Type("\u0003");
        Assert.Equal(130, session.WaitExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_daemon_s_init_option_applies_unless_the_container_says_otherwise()
    {
        using var daemon = new BerthDaemon(["--init"]);
        Assert.Equal("/sbin/docker-init", daemon.Cli("run", "--rm", Image, "cat", "/proc/1/cmdline").EnsureSuccess("docker run").Stdout.Split('\0')[0]);
        Assert.Equal("cat", daemon.Cli("run", "--rm", "--init=false", Image, "cat", "/proc/1/cmdline").EnsureSuccess("docker run --init=false").Stdout.Split('\0')[0]);
    }
}
