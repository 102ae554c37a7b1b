using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>exec (plain and -it), pause and unpause through a real engine's CLI, run by berth-runtime; one subclass per engine.</summary>
public abstract class EngineExecTests(IContainerEngine engine)
{
    [Fact]
    public void Exec_runs_in_the_container_and_returns_the_exit_status()
    {
        string name = TestIds.New($"{engine.Name}-exec");
        try
        {
            engine.StartDetached(name, []);
            var result = engine.Cli("exec", "-e", "GREETING=hi", "-w", "/tmp", name, "sh", "-c", "echo $GREETING from $(pwd); ps -o pid,args; exit 4");
            Assert.True(result.ExitCode == 4, $"exit status {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
            Assert.Contains("hi from /tmp", result.Stdout);
            // The exec'd process shares the container's pid namespace: sleep is pid 1.
            Assert.Contains(result.Stdout.Split('\n'), l => l.Trim().StartsWith("1 ", StringComparison.Ordinal) && l.Contains("sleep 1000"));
        }
        finally
        {
            engine.Remove(name);
        }
    }

    [Fact]
    public void Exec_it_gives_an_interactive_shell_on_a_terminal()
    {
        string name = TestIds.New($"{engine.Name}-execit");
        try
        {
            engine.StartDetached(name, []);
            using var session = engine.Terminal("exec", "-it", name, "sh");
            session.ReadUntil("/ # ");
            session.Type("echo exec-$((2+3)); tty\r");
            session.ReadUntil("exec-5");
            session.ReadUntil("/dev/pts/");
            session.Type("exit 6\r");
            Assert.Equal(6, session.WaitExit());
        }
        finally
        {
            engine.Remove(name);
        }
    }

    [Fact]
    public void Pause_freezes_every_process_and_unpause_thaws_them()
    {
        string name = TestIds.New($"{engine.Name}-pause");
        try
        {
            engine.StartDetached(name, [], "sh", "-c", "while true; do echo tick; usleep 20000; done");
            engine.Cli("pause", name).EnsureSuccess($"{engine.Name} pause");
            Assert.Equal("paused true", engine.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Assert.Equal("paused", engine.RuntimeStatus(name));
            // A line written just before the freeze may still be on its way to the log.
            Thread.Sleep(200);
            int frozenTicks = Ticks(name);
            Thread.Sleep(300);
            Assert.Equal(frozenTicks, Ticks(name));

            engine.Cli("unpause", name).EnsureSuccess($"{engine.Name} unpause");
            Assert.Equal("running false", engine.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Thread.Sleep(300);
            Assert.True(Ticks(name) > frozenTicks, "no output after unpause");
        }
        finally
        {
            engine.Remove(name);
        }
    }

    int Ticks(string name) => engine.Cli("logs", name).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
