using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// Docker as the oracle for the archive endpoints: the same docker cp command lines (the docker CLI v28) against
/// berthd and against a real dockerd (Debian's, in a private sandbox) must print the same errors, exit alike and
/// leave the same files. Paths that dockerd's own container setup changes (its init layer's /etc/hosts,
/// /.dockerenv) are left out: they say nothing about copying.
/// </summary>
public sealed class CopyDifferentialTests(BerthdFixture berthd, DockerDaemon dockerd) : IClassFixture<BerthdFixture>, IClassFixture<DockerDaemon>, IDisposable
{
    readonly BerthDaemon _berthd = berthd.Daemon;
    readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("cp-diff"))).FullName;
    readonly List<string> _onBerthd = [], _onDockerd = [];

    /// <summary>Out of a container: what the image has, untouched by either engine's setup.</summary>
    static readonly string[][] Out =
    [
        ["cp", "{C}:/etc/passwd", "{L}/pw"],
        ["cp", "{C}:/bin", "{L}/"],
        ["cp", "{C}:/bin/.", "{L}/bin-contents"],
        ["cp", "{C}:/tmp", "{L}/renamed-tmp"],
        ["cp", "{C}:/bin/sh", "{L}/sh-link"],
        ["cp", "-L", "{C}:/bin/sh", "{L}/sh-followed"],
        ["cp", "{C}:/etc/passwd", "{L}/pw/"],
        ["cp", "{C}:/bin", "{L}/pw"],
        ["cp", "{C}:/no/such", "{L}/"],
        ["cp", "{C}:/etc/passwd", "{L}/missing/deeper"],
    ];

    public void Dispose()
    {
        if (_onBerthd.Count > 0)
            _berthd.Cli(["rm", "-f", .. _onBerthd]);
        if (_onDockerd.Count > 0)
            dockerd.Cli(["rm", "-f", .. _onDockerd]);
        Directory.Delete(_root, recursive: true);
    }

    string Dir(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    /// <summary>The same container on both engines, running (sleeping) or only created.</summary>
    (string Berthd, string Dockerd) Twins(bool running)
    {
        string b = TestIds.New("cp-diff"), d = TestIds.New("cp-diff");
        _onBerthd.Add(b);
        _onDockerd.Add(d);
        string[] Args(string name) => [.. running ? ["run", "-d"] : new[] { "create" }, "--network", "none", "--name", name, BerthDaemon.Image, "sleep", "1000"];
        _berthd.Cli(Args(b)).EnsureSuccess("docker run on berthd");
        dockerd.Cli(Args(d)).EnsureSuccess("docker run on dockerd");
        return (b, d);
    }

    /// <summary>One command line on each engine, <c>{C}</c> its container and <c>{L}</c> its local directory, with the same result.</summary>
    void Same((string Berthd, string Dockerd) c, string berthdLocal, string dockerdLocal, string[] template)
    {
        var expected = dockerd.Cli(CopyScenarios.Fill(template, c.Dockerd, dockerdLocal));
        var actual = _berthd.Cli(CopyScenarios.Fill(template, c.Berthd, berthdLocal));
        string Equate(string text) => text.Replace(berthdLocal, dockerdLocal).Replace(c.Berthd, c.Dockerd);
        string what = string.Join(' ', template);
        Assert.True(expected.ExitCode == actual.ExitCode,
            $"{what}: with dockerd exit {expected.ExitCode}, with berthd {actual.ExitCode}\ndockerd: {expected.Stderr}\nberthd: {actual.Stderr}");
        // Debian's dockerd (20.10) extracts in a re-executed helper and wraps its errors; Docker 28 extracts in process
        // and does not: the words after the wrapper are the comparison.
        string want = CopyScenarios.WithoutLogLines(expected.Stderr).Replace("Error processing tar file(exit status 1): ", "");
        string got = Equate(CopyScenarios.WithoutLogLines(actual.Stderr));
        Assert.True(want == got, $"{what}:\ndockerd: {want}\nberthd:  {got}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Copies_out_of_a_container_match_dockerd_s(bool running)
    {
        var c = Twins(running);
        string b = Dir("from-berthd"), d = Dir("from-dockerd");
        foreach (var args in Out)
            Same(c, b, d, args);
        Assert.Equal(CopyScenarios.DescribeDirectory(d), CopyScenarios.DescribeDirectory(b));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Copies_into_a_container_match_dockerd_s(bool running)
    {
        string src = Dir("src");
        CopyScenarios.MakeSources(src);
        var c = Twins(running);
        foreach (var args in CopyScenarios.In)
            Same(c, src, src, args);
        foreach (string path in CopyScenarios.InTargets)
            Assert.Equal(CopyScenarios.DescribeContainer(dockerd.Socket, c.Dockerd, path, _root), CopyScenarios.DescribeContainer(_berthd.Socket, c.Berthd, path, _root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Binds_and_read_only_roots_match_dockerd_s(bool running)
    {
        string rw = Dir($"rw-berthd-{running}"), rwd = Dir($"rw-dockerd-{running}"), ro = Dir($"ro-{running}");
        File.WriteAllText(Path.Combine(ro, "seen"), "read-only\n");
        string b = TestIds.New("cp-diff"), d = TestIds.New("cp-diff");
        _onBerthd.Add(b);
        _onDockerd.Add(d);
        string[] Args(string name, string volume) =>
            [.. running ? ["run", "-d"] : new[] { "create" }, "--network", "none", "--read-only", "--name", name,
                "-v", $"{volume}:/rw", "-v", $"{ro}:/ro:ro", BerthDaemon.Image, "sleep", "1000"];
        _berthd.Cli(Args(b, rw)).EnsureSuccess("docker run on berthd");
        dockerd.Cli(Args(d, rwd)).EnsureSuccess("docker run on dockerd");
        Directory.CreateDirectory(Path.Combine(rw, "clash"));
        Directory.CreateDirectory(Path.Combine(rwd, "clash"));
        string src = Dir($"src-{running}");
        File.WriteAllText(Path.Combine(src, "clash"), "a file\n");
        foreach (var args in new[]
        {
            new[] { "cp", "{L}/clash", "{C}:/tmp/" },
            ["cp", "{L}/clash", "{C}:/ro/"],
            ["cp", "{L}/clash", "{C}:/rw/"],
            ["cp", "{L}/clash", "{C}:/rw/clash/inside"],
            ["cp", "{L}/clash", "{C}:/rw/new"],
        })
        {
            Same((b, d), src, src, args);
        }
        Assert.Equal(CopyScenarios.DescribeDirectory(rwd), CopyScenarios.DescribeDirectory(rw));
        Assert.Equal(["seen"], Directory.EnumerateFileSystemEntries(ro).Select(Path.GetFileName));

        string outB = Dir($"out-berthd-{running}"), outD = Dir($"out-dockerd-{running}");
        Same((b, d), outB, outD, ["cp", "{C}:/rw", "{L}/rw-copy"]);
        Same((b, d), outB, outD, ["cp", "{C}:/ro/.", "{L}/ro-copy"]);
        Assert.Equal(CopyScenarios.DescribeDirectory(outD), CopyScenarios.DescribeDirectory(outB));
    }
}
