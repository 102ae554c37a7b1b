using System.Globalization;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>exec (plain and -it), pause/unpause and stats of a running container under berth-runtime.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerExecTests(BerthDockerDaemon docker)
{
    [Fact]
    public void Exec_runs_in_the_container_and_returns_the_exit_status()
    {
        string name = TestIds.New("docker-exec");
        try
        {
            docker.StartDetached(name, []);
            var result = docker.Cli("exec", "-e", "GREETING=hi", "-w", "/tmp", name, "sh", "-c", "echo $GREETING from $(pwd); ps -o pid,args; exit 4");
            Assert.True(result.ExitCode == 4, $"exit status {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
            Assert.Contains("hi from /tmp", result.Stdout);
            // The exec'd process shares the container's pid namespace: sleep is pid 1.
            Assert.Contains(result.Stdout.Split('\n'), l => l.Trim().StartsWith("1 ", StringComparison.Ordinal) && l.Contains("sleep 1000"));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Exec_it_gives_an_interactive_shell_on_a_terminal()
    {
        string name = TestIds.New("docker-execit");
        try
        {
            docker.StartDetached(name, []);
            using var session = docker.Terminal("exec", "-it", name, "sh");
            session.ReadUntil("/ # ");
            session.Type("echo exec-$((2+3)); tty\r");
            session.ReadUntil("exec-5");
            session.ReadUntil("/dev/pts/");
            session.Type("exit 6\r");
            Assert.Equal(6, session.WaitExit());
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Pause_freezes_every_process_and_unpause_thaws_them()
    {
        string name = TestIds.New("docker-pause");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "while true; do echo tick; usleep 20000; done");
            Assert.Equal(0, docker.Cli("pause", name).ExitCode);
            Assert.Equal("paused true", docker.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Assert.Equal("paused", docker.RuntimeStatus(name));
            // A line written just before the freeze may still be on its way to the log.
            Thread.Sleep(200);
            int frozenTicks = Ticks(name);
            Thread.Sleep(300);
            Assert.Equal(frozenTicks, Ticks(name));

            Assert.Equal(0, docker.Cli("unpause", name).ExitCode);
            Assert.Equal("running false", docker.Inspect(name, "{{.State.Status}} {{.State.Paused}}"));
            Thread.Sleep(300);
            Assert.True(Ticks(name) > frozenTicks, "no output after unpause");
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Stats_report_memory_and_pids()
    {
        string name = TestIds.New("docker-stats");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "sleep 1000 & sleep 1000");
            var stats = docker.Cli("stats", "--no-stream", "--format", "{{.MemUsage}}|{{.PIDs}}", name).EnsureSuccess("docker stats").Stdout.Trim();
            var parts = stats.Split('|');
            // "336KiB / 23.5GiB": the usage is the number before the unit.
            string usage = new(parts[0].TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
            Assert.True(double.Parse(usage, CultureInfo.InvariantCulture) > 0, $"memory usage is zero: {stats}");
            Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) >= 2, $"expected at least 2 pids: {stats}");
        }
        finally
        {
            docker.Remove(name);
        }
    }

    int Ticks(string name) => docker.Cli("logs", name).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
