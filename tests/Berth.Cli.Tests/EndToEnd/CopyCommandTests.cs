using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// berth cp beside docker cp (v28) against one daemon: the same command lines must leave the same files (names,
/// types, modes, contents) and print the same errors with the same exit status. Each CLI copies into its own local
/// directory and into its own twin container; the paths are equated before comparing.
/// </summary>
public abstract class CopyCommandParity : IDisposable
{
    readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("cli-cp"))).FullName;
    readonly List<string> _containers = [];

    protected abstract string Socket { get; }

    protected abstract string Image { get; }

    /// <summary>The docker CLI against the daemon.</summary>
    protected abstract CommandResult Docker(params string[] args);

    public void Dispose()
    {
        if (_containers.Count > 0)
            Docker(["rm", "-f", .. _containers]);
        Directory.Delete(_root, recursive: true);
    }

    string Dir(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    string Created(params string[] args)
    {
        string name = TestIds.New("cli-cp");
        _containers.Add(name);
        Docker(["create", "--network", "none", "--name", name, .. args]).EnsureSuccess("docker create");
        return name;
    }

    /// <summary>Runs one cp with each CLI, <c>{L}</c> standing for its own local directory and <c>{C}</c> for its container.</summary>
    void Same(string dockerLocal, string berthLocal, string dockerContainer, string berthContainer, string[] template)
    {
        var expected = Docker(CopyScenarios.Fill(template, dockerContainer, dockerLocal));
        var actual = BerthCli.Run(Socket, CopyScenarios.Fill(template, berthContainer, berthLocal));
        string Equate(string text) => text.Replace(berthLocal, dockerLocal).Replace(berthContainer, dockerContainer);
        string what = string.Join(' ', template);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: docker exited {expected.ExitCode}, berth {actual.ExitCode}\ndocker: {expected.Stderr}\nberth: {actual.Stderr}");
        Assert.Equal(expected.Stdout, Equate(actual.Stdout));
        Assert.Equal(BerthCli.AsBerth(CopyScenarios.WithoutLogLines(expected.Stderr)), Equate(actual.Stderr));
    }

    [Fact]
    public void Copies_out_of_a_container_land_alike()
    {
        string c = Created(Image, "true");
        string d = Dir("docker-out"), b = Dir("berth-out");
        foreach (var args in CopyScenarios.Out)
            Same(d, b, c, c, args);
        Assert.Equal(CopyScenarios.DescribeDirectory(d), CopyScenarios.DescribeDirectory(b));
    }

    [Fact]
    public void Copies_into_a_container_land_alike()
    {
        string src = Dir("src");
        CopyScenarios.MakeSources(src);
        string d = Created(Image, "true"), b = Created(Image, "true");
        foreach (var args in CopyScenarios.In)
            Same(src, src, d, b, args);
        foreach (string path in CopyScenarios.InTargets)
            Assert.Equal(CopyScenarios.DescribeContainer(Socket, d, path, _root), CopyScenarios.DescribeContainer(Socket, b, path, _root));
    }

    [Fact]
    public void Argument_errors_match()
    {
        string c = Created(Image, "true");
        foreach (var args in new[]
        {
            new[] { "cp", "a", "b" },
            ["cp", "{C}:/a", "{C}:/b"],
            ["cp", "", "{C}:/x"],
            ["cp", "{C}:/x", ""],
            ["cp", "{C}:/etc/passwd", "/dev/null"],
            ["cp", "{C}:/etc/passwd", "/no/such/dir/x"],
            ["cp", "berth-test-cli-cp-nosuch:/etc", "{L}/"],
            ["cp", "only-one-argument"],
        })
        {
            Same(_root, _root, c, c, args);
        }
    }
}

/// <summary>berth cp beside docker cp against berthd.</summary>
[Collection(BerthdCollection.Name)]
public sealed class CopyCommandTests(BerthdFixture fixture) : CopyCommandParity
{
    readonly BerthDaemon _berthd = fixture.Daemon;

    protected override string Socket => _berthd.Socket;

    protected override string Image => BerthDaemon.Image;

    protected override CommandResult Docker(params string[] args) => _berthd.Cli(args);
}

/// <summary>berth cp beside docker cp against a real dockerd: berth's side of the copy checked against Docker's daemon.</summary>
[Collection(DockerdCollection.Name)]
public sealed class CopyCommandDockerdTests(DockerDaemon docker) : CopyCommandParity
{
    protected override string Socket => docker.Socket;

    protected override string Image => DockerDaemon.Image;

    protected override CommandResult Docker(params string[] args) => docker.Cli(args);
}
