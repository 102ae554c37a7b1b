using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class DockerdCollection : ICollectionFixture<DockerDaemon>
{
    public const string Name = "berth and docker CLIs against one dockerd";
}

/// <summary>
/// berth and the real docker CLI (v28) against the same dockerd (Debian's 20.10, API 1.41, a private sandbox):
/// the same command lines must give the same output, errors and exit statuses. Columns that show the time of
/// the moment (CREATED, STATUS) are left out of the compared formats.
/// </summary>
[Collection(DockerdCollection.Name)]
public class DockerParityTests(DockerDaemon docker)
{
    const string Image = DockerDaemon.Image;

    CommandResult Docker(IEnumerable<string> args, string? stdin) => docker.Cli(args, TimeSpan.FromSeconds(60));

    CommandResult DockerWithStdin(IEnumerable<string> args, string? stdin) =>
        ProcessRunner.Run("/usr/local/bin/docker", ["--host", "unix://" + docker.Socket, .. args], stdin: stdin,
            environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = docker.PathOf("cli") });

    void Same(params string[] args) => BerthCli.AssertSame(Docker, docker.Socket, args);

    /// <summary>Two containers made alike, one for each CLI, for commands that change their container.</summary>
    (string Docker, string Berth) Twins(string what, params string[] createArgs)
    {
        string a = Name(what), b = Name(what);
        docker.Cli(["create", "--network", "none", "--name", a, .. createArgs]).EnsureSuccess("docker create");
        docker.Cli(["create", "--network", "none", "--name", b, .. createArgs]).EnsureSuccess("docker create");
        return (a, b);
    }

    void SameOnTwins((string Docker, string Berth) twins, Func<string, string[]> args)
    {
        string IdOf(string name)
        {
            var r = docker.Cli("inspect", "--format", "{{.Id}}", name);
            return r.ExitCode == 0 ? r.Stdout.Trim() : name;
        }
        BerthCli.AssertSameOnTwins(Docker, docker.Socket, args, twins.Docker, twins.Berth, (IdOf(twins.Berth), IdOf(twins.Docker)));
    }

    CommandResult Berth(params string[] args) => BerthCli.Run(docker.Socket, args);

    static string Name(string what) => TestIds.New("cli-" + what);

    [Fact]
    public void Run_output_errors_and_exit_status_match()
    {
        Same("run", "--rm", "--network", "none", Image, "sh", "-c", "echo out; echo err >&2; exit 3");
        Same("run", "--rm", "--network", "none", Image, "true");
    }

    [Fact]
    public void Run_with_stdin_matches()
    {
        BerthCli.AssertSame(DockerWithStdin, docker.Socket, ["run", "-i", "--rm", "--network", "none", Image, "sh", "-c", "cat; echo done"], "piped input\n");
    }

    [Fact]
    public void Run_of_a_missing_command_exits_127_with_the_daemons_words()
    {
        string a = Name("missing"), b = Name("missing");
        try
        {
            var expected = docker.Cli("run", "--network", "none", "--name", a, Image, "/nonexistent");
            var actual = Berth("run", "--network", "none", "--name", b, Image, "/nonexistent");
            Assert.Equal(127, expected.ExitCode);
            Assert.Equal(127, actual.ExitCode);
            Assert.Equal(BerthCli.AsBerth(expected.Stderr), actual.Stderr);
        }
        finally
        {
            docker.Remove(a);
            docker.Remove(b);
        }
    }

    [Fact]
    public void Listing_inspecting_and_logs_match()
    {
        string name = Name("list");
        try
        {
            Berth("run", "--network", "none", "--name", name, "-l", "tier=test", "-e", "X=1", Image, "sh", "-c", "echo to-stdout; echo to-stderr >&2").EnsureSuccess("berth run");
            Same("ps", "-a", "--filter", $"name={name}", "--format", "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Names}}\t{{.Labels}}\t{{.State}}");
            Same("ps", "-a", "-q", "--no-trunc", "--filter", $"name={name}");
            Same("ps", "-a", "--filter", $"name={name}", "--format", "{{.Label \"tier\"}} {{.Size}} {{.Mounts}} {{.Networks}}");
            Same("ps", "-a", "--filter", "label=tier=test", "--format", "raw");
            Same("inspect", name);
            Same("container", "inspect", "--size", "--format", "{{.Name}} {{.SizeRw}} {{json .Config.Env}} {{.State.ExitCode}}", name);
            Same("inspect", "--format", "{{.Missing}}", name);
            Same("inspect", name, "no-such-object");
            Same("logs", name);
            Same("logs", "--tail", "1", name);
            Same("wait", name);
            Same("diff", name);
            Same("port", name);
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Image_listing_history_and_tags_match()
    {
        string tag = Name("tag") + ":v1";
        string twin = Name("tag") + ":v1";
        try
        {
            Same("images", "--format", "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}", Image);
            Same("images", "-q");
            Same("image", "ls", "--digests", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}} {{.ID}} {{.VirtualSize}} {{.Containers}}");
            Same("history", "--format", "table {{.ID}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", Image);
            Same("history", "-q", "--no-trunc", Image);
            Same("image", "inspect", Image);
            Same("inspect", "--format", "{{.RepoTags}} {{.Size}} {{.Os}}", Image);
            Berth("tag", Image, tag).EnsureSuccess("berth tag");
            Berth("tag", Image, twin).EnsureSuccess("berth tag");
            Same("images", "--format", "{{.Repository}} {{.Tag}}", tag);
            BerthCli.AssertSameOnTwins(Docker, docker.Socket, t => ["rmi", t], tag, twin);
            BerthCli.AssertSameOnTwins(Docker, docker.Socket, t => ["rmi", t], tag, twin);
            Same("tag", Image, "UPPER");
            Same("tag", "no-such-image", "x");
        }
        finally
        {
            docker.Cli("rmi", tag, twin);
        }
    }

    [Fact]
    public void Exec_matches_in_output_and_status()
    {
        string name = Name("exec");
        try
        {
            Berth("run", "-d", "--network", "none", "--name", name, Image, "sleep", "1000").EnsureSuccess("berth run -d");
            Same("exec", name, "sh", "-c", "echo in-exec; echo exec-err >&2; exit 4");
            Same("exec", "-e", "A=b", "-w", "/tmp", "-u", "1", name, "sh", "-c", "echo $A $(pwd) $(id -u)");
            BerthCli.AssertSame(DockerWithStdin, docker.Socket, ["exec", "-i", name, "cat"], "exec stdin\n");
            Same("exec", name, "/nonexistent");
            Same("top", name, "-o", "comm");
            Same("exec", "no-such-container", "true");
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Lifecycle_commands_print_what_they_did()
    {
        var twins = Twins("life", Image, "sleep", "1000");
        string renamedDocker = Name("renamed"), renamedBerth = Name("renamed");
        try
        {
            SameOnTwins(twins, c => ["start", c]);
            SameOnTwins(twins, c => ["pause", c]);
            SameOnTwins(twins, c => ["pause", c]);
            SameOnTwins(twins, c => ["unpause", c]);
            SameOnTwins(twins, c => ["restart", "-t", "1", c]);
            SameOnTwins(twins, c => ["kill", "-s", "USR1", c]);
            SameOnTwins(twins, c => ["stop", "-t", "1", c]);
            SameOnTwins(twins, c => ["kill", c]);
            SameOnTwins(twins, c => ["start", "-a", c, "no-such-container"]);
            Assert.Equal(0, docker.Cli("rename", twins.Docker, renamedDocker).ExitCode);
            var renamed = Berth("rename", twins.Berth, renamedBerth);
            Assert.Equal(("", "", 0), (renamed.Stdout, renamed.Stderr, renamed.ExitCode));
            SameOnTwins((renamedDocker, renamedBerth), c => ["rm", c]);
            SameOnTwins((renamedDocker, renamedBerth), c => ["rm", c]);
            SameOnTwins((renamedDocker, renamedBerth), c => ["rm", "-f", c]);
            SameOnTwins((renamedDocker, renamedBerth), c => ["rename", c, "x"]);
            Same("stop", "no-such-container");
            Same("kill", "no-such-container");
            Same("pause", "no-such-container", "no-such-container-either");
        }
        finally
        {
            foreach (var n in new[] { twins.Docker, twins.Berth, renamedDocker, renamedBerth })
                docker.Remove(n);
        }
    }

    [Fact]
    public void Start_attached_gives_the_containers_output_and_status()
    {
        string name = Name("start-a");
        try
        {
            Berth("create", "--network", "none", "--name", name, Image, "sh", "-c", "echo started; exit 6").EnsureSuccess("berth create");
            var run = Berth("start", "-a", name);
            Assert.Equal(6, run.ExitCode);
            Assert.Equal("started\n", run.Stdout);
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Commit_save_load_and_import_round_trip()
    {
        string name = Name("commit");
        string committed = Name("committed") + ":c1";
        string archive = docker.PathOf(TestIds.New("save") + ".tar");
        try
        {
            Berth("run", "--network", "none", "--name", name, Image, "sh", "-c", "echo data > /file").EnsureSuccess("berth run");
            var commit = Berth("commit", "-m", "a message", "-c", "ENV COMMITTED=1", name, committed).EnsureSuccess("berth commit");
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", commit.Stdout);
            Assert.Equal("a message", docker.Inspect(committed, "{{.Comment}}"));
            Assert.Contains("COMMITTED=1", docker.Inspect(committed, "{{json .Config.Env}}"));
            Berth("save", "-o", archive, committed).EnsureSuccess("berth save");
            Berth("rmi", committed).EnsureSuccess("berth rmi");
            var load = Berth("load", "-i", archive).EnsureSuccess("berth load");
            Assert.Equal($"Loaded image: {committed}\n", load.Stdout);
            Same("run", "--rm", "--network", "none", committed, "cat", "/file");
            var export = docker.PathOf(TestIds.New("export") + ".tar");
            Berth("export", "-o", export, name).EnsureSuccess("berth export");
            Assert.True(new FileInfo(export).Length > 0);
            var imported = Berth("import", "-m", "imported", export, committed + "-imported").EnsureSuccess("berth import");
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", imported.Stdout);
        }
        finally
        {
            docker.Remove(name);
            docker.Cli("rmi", committed, committed + "-imported");
        }
    }

    [Fact]
    public void A_terminal_session_echoes_and_ends_with_the_shells_status()
    {
        string name = Name("tty");
        try
        {
            using var session = BerthCli.Terminal(docker.Socket, "run", "-it", "--network", "none", "--name", name, Image, "sh");
            session.ReadUntil("# ");
            session.Type("echo $((6*7)); exit 5\r");
            Assert.Equal(5, session.WaitExit());
            Assert.Contains("42", session.Output);
            Assert.DoesNotContain("\r\r\n", session.Output);
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Detach_keys_leave_the_container_running_and_attach_comes_back()
    {
        string name = Name("detach");
        try
        {
            using (var session = BerthCli.Terminal(docker.Socket, "run", "-it", "--network", "none", "--name", name, Image, "sh"))
            {
                session.ReadUntil("# ");
                session.Type("\x10");
                session.Type("\x11");
                Assert.Equal(0, session.WaitExit());
            }
            Assert.Equal("true", docker.Inspect(name, "{{.State.Running}}"));
            using (var attached = BerthCli.Terminal(docker.Socket, "attach", name))
            {
                attached.Type("echo attached-$((1+1))\r");
                attached.ReadUntil("attached-2");
                attached.Type("exit 9\r");
                Assert.Equal(9, attached.WaitExit());
            }
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Events_since_until_match()
    {
        string name = Name("events");
        try
        {
            string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
            Berth("create", "--network", "none", "--name", name, Image, "true").EnsureSuccess("berth create");
            Berth("rm", name).EnsureSuccess("berth rm");
            string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
            Same("events", "--since", since, "--until", until, "--filter", $"container={name}");
            Same("events", "--since", since, "--until", until, "--filter", $"container={name}", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Version_and_info_talk_to_the_daemon()
    {
        Same("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}");
        var version = Berth("version").EnsureSuccess("berth version");
        Assert.Contains("API version:       1.41 (downgraded from 1.50)", version.Stdout);
        Assert.Contains("\nServer:\n Engine:\n  Version:          ", version.Stdout);
        var info = Berth("info").EnsureSuccess("berth info");
        var dockerInfo = docker.Cli("info").EnsureSuccess("docker info");
        // docker prints the runtimes in Go's random map order, berth sorted: that line is compared as a set.
        static string Server(string text) => string.Join('\n', text[text.IndexOf("\nServer:\n", StringComparison.Ordinal)..].Split('\n')
            .Select(l => l.StartsWith(" Runtimes: ", StringComparison.Ordinal) ? string.Join(' ', l.Split(' ').Order(StringComparer.Ordinal)) : l));
        Assert.Equal(Server(dockerInfo.Stdout), Server(info.Stdout));
        Same("system", "df", "--format", "{{.Type}} {{.TotalCount}}");
    }
}
