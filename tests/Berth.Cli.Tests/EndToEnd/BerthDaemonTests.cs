using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>One berthd for the collection (BerthDaemon itself has two constructors, which xunit refuses in a fixture).</summary>
public sealed class BerthdFixture : IDisposable
{
    public BerthDaemon Daemon { get; } = new();

    public void Dispose() => Daemon.Dispose();
}

[CollectionDefinition(Name)]
public sealed class BerthdCollection : ICollectionFixture<BerthdFixture>
{
    public const string Name = "berth and docker CLIs against one berthd";
}

/// <summary>
/// The berth CLI against berthd, beside the docker CLI against the same berthd: the same command lines must give
/// the same results (outputs whose content is the moment's time are compared through formats without it).
/// </summary>
[Collection(BerthdCollection.Name)]
public class BerthDaemonTests(BerthdFixture fixture)
{
    readonly BerthDaemon berthd = fixture.Daemon;

    const string Image = BerthDaemon.Image;

    CommandResult Docker(IEnumerable<string> args, string? stdin) =>
        ProcessRunner.Run("/usr/local/bin/docker", ["--host", "unix://" + berthd.Socket, .. args], stdin: stdin,
            environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = berthd.PathOf("cli") });

    void Same(params string[] args) => BerthCli.AssertSame(Docker, berthd.Socket, args);

    CommandResult Berth(params string[] args) => BerthCli.Run(berthd.Socket, args);

    static string Name(string what) => TestIds.New("cli-" + what);

    [Fact]
    public void Version_names_berthd()
    {
        var run = Berth("version").EnsureSuccess("berth version");
        Assert.Contains("\nServer:", run.Stdout);
        Same("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}");
    }

    [Fact]
    public void Run_and_listing_match_the_docker_cli()
    {
        string name = Name("run");
        try
        {
            Same("run", "--rm", "--network", "none", Image, "sh", "-c", "echo out; echo err >&2; exit 3");
            Berth("run", "--network", "none", "--name", name, "-l", "k=v", Image, "echo", "hello").EnsureSuccess("berth run");
            Same("ps", "-a", "--filter", $"name={name}", "--format", "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Names}}\t{{.Labels}}\t{{.State}}");
            Same("inspect", name);
            Same("inspect", "--format", "{{.Name}} {{.State.ExitCode}} {{json .Config.Labels}}", name);
            Same("logs", name);
            Same("images", "--format", "{{.Repository}} {{.Tag}} {{.ID}} {{.Size}}");
            var removed = Berth("rm", name);
            Assert.Equal((0, name + "\n", ""), (removed.ExitCode, removed.Stdout, removed.Stderr));
            Same("rm", name);
        }
        finally
        {
            Berth("rm", "-f", name);
        }
    }

    [Fact]
    public void Run_with_stdin_and_exec_match()
    {
        string name = Name("exec");
        try
        {
            BerthCli.AssertSame(Docker, berthd.Socket, ["run", "-i", "--rm", "--network", "none", Image, "cat"], "through stdin\n");
            Berth("run", "-d", "--network", "none", "--name", name, Image, "sleep", "1000").EnsureSuccess("berth run -d");
            Same("exec", name, "sh", "-c", "echo in-exec; exit 4");
            BerthCli.AssertSame(Docker, berthd.Socket, ["exec", "-i", name, "cat"], "exec stdin\n");
            Same("stop", "-t", "1", name);
            Same("wait", name);
        }
        finally
        {
            Berth("rm", "-f", name);
        }
    }

    [Fact]
    public void A_missing_image_is_reported_as_the_pull_failure()
    {
        var run = Berth("run", "--network", "none", "berth-test-no-such-image:1");
        Assert.Equal(125, run.ExitCode);
        Assert.StartsWith("Unable to find image 'berth-test-no-such-image:1' locally\nberth: ", run.Stderr);
    }

    [Fact]
    public void A_terminal_session_works()
    {
        string name = Name("tty");
        try
        {
            using var session = BerthCli.Terminal(berthd.Socket, "run", "-it", "--network", "none", "--name", name, Image, "sh");
            session.ReadUntil("# ");
            session.Type("echo $((6*7)); exit 5\r");
            Assert.Equal(5, session.WaitExit());
            Assert.Contains("42", session.Output);
        }
        finally
        {
            Berth("rm", "-f", name);
        }
    }
}
