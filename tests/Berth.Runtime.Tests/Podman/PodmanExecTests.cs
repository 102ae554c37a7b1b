using Berth.TestSupport;

namespace Berth.Runtime.Tests.Podman;

/// <summary>exec (conmon's `exec --process --detach --pid-file`), pause and unpause with berth-runtime.</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanExecTests(PodmanHost podman)
{
    [Fact]
    public void Exec_runs_in_the_container_and_returns_the_exit_status()
    {
        string name = TestIds.New("podman-exec");
        try
        {
            podman.StartDetached(name, []);
            var result = podman.Cli("exec", "-e", "GREETING=hi", "-w", "/tmp", name, "sh", "-c", "echo $GREETING from $(pwd); ps -o pid,args; exit 4");
            Assert.True(result.ExitCode == 4, $"exit status {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
            Assert.Contains("hi from /tmp", result.Stdout);
            Assert.Contains(result.Stdout.Split('\n'), l => l.Trim().StartsWith("1 ", StringComparison.Ordinal) && l.Contains("sleep 1000"));
        }
        finally
        {
            podman.Remove(name);
        }
    }

    [Fact]
    public void Exec_it_gives_an_interactive_shell_on_a_terminal()
    {
        string name = TestIds.New("podman-execit");
        try
        {
            podman.StartDetached(name, []);
            using var session = podman.Terminal("exec", "-it", name, "sh");
            session.ReadUntil("/ # ");
            session.Type("echo exec-$((2+3)); tty\r");
            session.ReadUntil("exec-5");
            session.ReadUntil("/dev/pts/");
            session.Type("exit 6\r");
            Assert.Equal(6, session.WaitExit());
        }
        finally
        {
            podman.Remove(name);
        }
    }

    [Fact]
    public void Pause_freezes_every_process_and_unpause_thaws_them()
    {
        string name = TestIds.New("podman-pause");
        try
        {
            podman.StartDetached(name, [], "sh", "-c", "while true; do echo tick; usleep 20000; done");
            podman.Cli("pause", name).EnsureSuccess("podman pause");
            Assert.Equal("paused true", podman.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Assert.Equal("paused", podman.RuntimeStatus(name));
            // A line written just before the freeze may still be on its way to the log.
            Thread.Sleep(200);
            int frozenTicks = Ticks(name);
            Thread.Sleep(300);
            Assert.Equal(frozenTicks, Ticks(name));

            podman.Cli("unpause", name).EnsureSuccess("podman unpause");
            Assert.Equal("running false", podman.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Thread.Sleep(300);
            Assert.True(Ticks(name) > frozenTicks, "no output after unpause");
        }
        finally
        {
            podman.Remove(name);
        }
    }

    int Ticks(string name) => podman.Cli("logs", name).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
