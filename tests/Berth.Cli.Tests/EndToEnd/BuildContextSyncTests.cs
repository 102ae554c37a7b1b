using System.Globalization;
using System.Text.RegularExpressions;
using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// <c>berth build</c> against berthd: the daemon keeps the context it was sent, so the next build of the same
/// directory sends only what changed (the manifest first, then the files the daemon lacks), and still builds what
/// the directory holds now. A writable bind of the context in a RUN never writes the kept context.
/// </summary>
[Collection(BerthdCollection.Name)]
public sealed partial class BuildContextSyncTests(BerthdFixture fixture) : IDisposable
{
    readonly BerthDaemon _berthd = fixture.Daemon;
    readonly string _context = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("build-sync"))).FullName;
    readonly string _tag = TestIds.New("synced") + ":v1";

    const string Dockerfile = $"""
        FROM {BerthDaemon.Image}
        COPY app/ /app/
        RUN --mount=type=bind,source=app,target=/ctx,rw echo scribbled > /ctx/main.txt && rm -r /ctx/sub
        RUN --mount=type=bind,source=hostetc,target=/x cat /x/marker > /marker && test ! -e /x/passwd
        COPY app/ /after/
        """;

    public void Dispose()
    {
        _berthd.Cli("rmi", "-f", _tag);
        Directory.Delete(_context, recursive: true);
    }

    void Write(string path, string content)
    {
        string full = Path.Combine(_context, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>Builds; returns the bytes the "Sending build context" line reports and the output.</summary>
    (double Sent, string Output) Build()
    {
        var result = BerthCli.Run(_berthd.Socket, ["build", "-t", _tag, _context], timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var match = SendingLine().Match(result.Stdout);
        Assert.True(match.Success, result.Stdout);
        double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        double unit = match.Groups[2].Value switch { "kB" => 1e3, "MB" => 1e6, "GB" => 1e9, _ => 1 };
        return (value * unit, result.Stdout);
    }

    [Fact]
    public void The_clients_source_date_epoch_makes_builds_reproducible()
    {
        Write("Dockerfile", $"FROM {BerthDaemon.Image}\nCOPY app/ /app/\nRUN echo fixed > /when && mkdir /made\n");
        Write("app/main.txt", "main\n");
        string Built()
        {
            var result = ProcessRunner.Run(BerthCli.Path, ["--host", "unix://" + _berthd.Socket, "build", "--no-cache", "-q", "-t", _tag, _context],
                timeout: TimeSpan.FromMinutes(3),
                environment: new Dictionary<string, string> { ["BERTH_CONFIG"] = "/nonexistent-berth-config", ["SOURCE_DATE_EPOCH"] = "1700000000" });
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            return result.Stdout.Trim();
        }
        string first = Built();
        Thread.Sleep(1100); // another second on the clock: only SOURCE_DATE_EPOCH can make the two alike
        Assert.Equal(first, Built());
        Assert.StartsWith("2023-11-14T22:13:20", _berthd.Inspect(_tag, "{{.Created}}"));
    }

    [Fact]
    public void The_docker_CLI_and_berth_share_the_cache()
    {
        Write("Dockerfile", $"FROM {BerthDaemon.Image}\nCOPY app/ /app/\nRUN ls /app > /listing\n");
        Write("app/main.txt", "main\n");
        var docker = _berthd.Cli(["build", "-t", _tag, _context], TimeSpan.FromMinutes(3)).EnsureSuccess("docker build");
        string id = _berthd.Inspect(_tag, "{{.Id}}");
        var (_, output) = Build();
        Assert.Equal(2, output.Split("Using cache").Length - 1);
        Assert.Equal(id, _berthd.Inspect(_tag, "{{.Id}}"));
        Assert.Contains("Successfully built", docker.Stdout);
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    /// <summary>A build on a terminal: its exit code and its last screen's text (escape sequences taken out).</summary>
    (int Code, string Text) BuildOnTerminal()
    {
        using var session = BerthCli.Terminal(_berthd.Socket, "build", "-t", _tag, _context);
        int code = session.WaitExit(TimeSpan.FromMinutes(3));
        return (code, Ansi().Replace(session.Output, "").Replace("\r", ""));
    }

    [Fact]
    public void On_a_terminal_the_steps_are_drawn_live_with_their_state()
    {
        Write("Dockerfile", $"FROM {BerthDaemon.Image}\nCOPY app/ /app/\nRUN echo made-by-run && sleep 1 && ls /app\n");
        Write("app/main.txt", "main\n");
        var (code, text) = BuildOnTerminal();
        Assert.True(code == 0, text);
        Assert.Matches(@"\[\+\] Building [0-9.]+s \(3/3\)", text);
        Assert.Matches(@" => \[3/3\] RUN echo made-by-run && sleep 1 && ls /app +[0-9.]+s", text);
        Assert.Contains(" => => # made-by-run", text); // the running step's output, while it ran (drawn every 100 ms)
        Assert.Contains($"Successfully tagged {_tag}", text);
        Assert.DoesNotContain("Step 1/3", text);

        (code, text) = BuildOnTerminal();
        Assert.True(code == 0, text);
        Assert.Matches(@" => CACHED \[2/3\] COPY app/ /app/ +[0-9.]+s", text);
        Assert.Matches(@" => CACHED \[3/3\] RUN", text);

        Write("Dockerfile", $"FROM {BerthDaemon.Image}\nRUN echo about-to-fail && sleep 1 && exit 3\n");
        (code, text) = BuildOnTerminal();
        Assert.Equal(3, code);
        Assert.Matches(@" => ERROR \[2/2\] RUN echo about-to-fail && sleep 1 && exit 3", text);
        Assert.Contains(" => => # about-to-fail", text);
        Assert.Contains("returned a non-zero code: 3", text);
    }

    [GeneratedRegex(@"Sending build context to Docker daemon  ([0-9.]+)([kMG]?B)")]
    private static partial Regex SendingLine();

    string Cat(string path) => _berthd.Cli("run", "--rm", "--network", "none", _tag, "cat", path).EnsureSuccess("cat " + path).Stdout;

    [Fact]
    public void The_next_build_sends_only_what_changed_and_builds_what_the_directory_holds()
    {
        Write("Dockerfile", Dockerfile);
        Write("app/main.txt", "main\n");
        Write("app/sub/deep.txt", "deep\n");
        Write("app/big.bin", new string('x', 300_000));
        // A symlink to the host's /etc names the context's own etc/ for a bind mount: it cannot lead out.
        Write("etc/marker", "in the context\n");
        File.CreateSymbolicLink(Path.Combine(_context, "hostetc"), "/etc");

        var (first, _) = Build();
        Assert.True(first > 300_000, $"the first build sent {first} bytes");
        Assert.Equal("main\n", Cat("/after/main.txt")); // the RUN's writes through its rw bind were discarded
        Assert.Equal("deep\n", Cat("/after/sub/deep.txt"));
        Assert.Equal("in the context\n", Cat("/marker"));

        var (again, output) = Build();
        Assert.True(again < 20_000, $"an unchanged directory sent {again} bytes");
        Assert.Equal(4, output.Split("Using cache").Length - 1);

        Write("app/main.txt", "changed\n");
        File.Delete(Path.Combine(_context, "app", "sub", "deep.txt"));
        var (changed, rebuilt) = Build();
        Assert.True(changed < 20_000, $"one changed file sent {changed} bytes");
        Assert.Equal(0, rebuilt.Split("Using cache").Length - 1);
        Assert.Equal("changed\n", Cat("/after/main.txt"));
        Assert.NotEqual(0, _berthd.Cli("run", "--rm", "--network", "none", _tag, "test", "-e", "/after/sub/deep.txt").ExitCode);

        // docker builder prune forgets the kept contexts too: the next build sends everything again.
        _berthd.Cli("builder", "prune", "-f").EnsureSuccess("docker builder prune");
        var (afterPrune, _) = Build();
        Assert.True(afterPrune > 300_000, $"after builder prune, a build sent {afterPrune} bytes");
    }
}
