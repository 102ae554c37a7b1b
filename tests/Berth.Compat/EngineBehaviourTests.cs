using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>What the engine does beyond single commands: events, tty, live restore, and leaving nothing behind.</summary>
public sealed class EngineBehaviourTests
{
    const string Image = BerthDaemon.Image;

    [Fact]
    public void Events_report_a_container_s_life_with_docker_s_actions_and_filters()
    {
        using var d = new BerthDaemon();
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ = d.Cli("run", "--rm", "--name", "compat-events", Image, "sh", "-c", "exit 2");
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = d.Cli("events", "--since", since, "--until", until, "--filter", "container=compat-events", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}")
            .EnsureSuccess("docker events");
        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("container create compat-events <no value>", lines);
        Assert.Contains("container start compat-events <no value>", lines);
        Assert.Contains("container die compat-events 2", lines);
        Assert.Contains("container destroy compat-events <no value>", lines);
        var dies = d.Cli("events", "--since", since, "--until", until, "--filter", "event=die", "--format", "{{.Action}}").Stdout;
        Assert.Equal("die\n", dies);
    }

    [Fact]
    public void Run_with_a_terminal_gives_the_container_a_tty()
    {
        using var d = new BerthDaemon();
        using var session = d.Terminal("run", "--rm", "-it", Image, "sh", "-c", "tty; stty size");
        string output = session.ReadUntil("\n", TimeSpan.FromSeconds(30));
        Assert.Equal(0, session.WaitExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("/dev/pts/", session.Output);
    }

    [Fact]
    public void Kill_9_of_berthd_leaves_containers_running_and_logging_and_a_new_berthd_finds_them()
    {
        using var d = new BerthDaemon(["--live-restore"]);
        const string name = "compat-live";
        d.Cli("run", "-d", "--name", name, Image, "sh", "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.05; done").EnsureSuccess("docker run -d");
        string pid = d.Inspect(name, "{{.State.Pid}}");
        Wait.Until(() => d.Cli("logs", name).Stdout.Contains("line 5"), "some log lines");

        d.Kill();
        Thread.Sleep(500); // the container keeps writing while no daemon runs
        Assert.True(Directory.Exists($"/proc/{pid}"), "the container still runs without its daemon");
        d.Start();

        Assert.Equal("running " + pid, d.Inspect(name, "{{.State.Status}} {{.State.Pid}}"));
        Assert.Contains(name, d.Cli("ps", "--format", "{{.Names}}").Stdout);
        d.Cli("stop", "-t", "1", name).EnsureSuccess("docker stop after restore");
        var lines = d.Cli("logs", name).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < lines.Length; i++)
            Assert.Equal($"line {i}", lines[i]);
        Assert.True(lines.Length > 15, $"log lines written while berthd was down are there ({lines.Length})");
    }

    [Fact]
    public void Removing_containers_leaves_no_mount_cgroup_shim_or_state()
    {
        using var d = new BerthDaemon();
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
            ids.Add(d.Cli("run", "-d", Image, "sleep", "1000").EnsureSuccess("docker run -d").Stdout.Trim());
        d.Cli(["rm", "-f", .. ids]).EnsureSuccess("docker rm -f");
        EngineLeftovers.AssertNoneOf(d, ids);
    }
}
