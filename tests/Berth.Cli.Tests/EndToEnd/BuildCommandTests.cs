using System.Text.RegularExpressions;
using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// <c>berth build</c> and the docker CLI (v28, legacy builder) against the same dockerd (20.10): the same context
/// gives the same lines (image and container IDs aside), the same failure and exit status.
/// </summary>
[Collection(DockerdCollection.Name)]
public sealed partial class BuildCommandTests(DockerDaemon docker) : IDisposable
{
    readonly string _context = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("build-cli"))).FullName;
    readonly List<string> _tags = [];

    public void Dispose()
    {
        foreach (string tag in _tags)
            docker.Cli("rmi", "-f", tag);
        Directory.Delete(_context, recursive: true);
    }

    string Tag()
    {
        string tag = TestIds.New("built") + ":v1";
        _tags.Add(tag);
        return tag;
    }

    /// <summary>IDs differ from build to build; the banner is the docker CLI's own.</summary>
    static string Normalized(string output)
    {
        string text = HexId().Replace(output, "<id>");
        return string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("DEPRECATED", StringComparison.Ordinal) && !l.StartsWith("            ", StringComparison.Ordinal)));
    }

    [GeneratedRegex("[0-9a-f]{12,64}")]
    private static partial Regex HexId();

    void Write(string dockerfile)
    {
        Directory.CreateDirectory(Path.Combine(_context, "dir"));
        File.WriteAllText(Path.Combine(_context, "dir", "file.txt"), "content\n");
        File.WriteAllText(Path.Combine(_context, "skipped.tmp"), "not sent\n");
        File.WriteAllText(Path.Combine(_context, ".dockerignore"), "*.tmp\n");
        File.WriteAllText(Path.Combine(_context, "Dockerfile"), dockerfile);
    }

    [Fact]
    public void A_build_prints_what_docker_prints()
    {
        Write($"FROM {DockerDaemon.Image}\nCOPY dir /dir\nRUN cat /dir/file.txt && ls /\nENV A=b\nCMD [\"true\"]\n");
        var theirs = docker.Cli(["build", "--no-cache", "-t", Tag(), _context], TimeSpan.FromMinutes(2));
        var ours = BerthCli.Run(docker.Socket, ["build", "--no-cache", "-t", Tag(), _context], timeout: TimeSpan.FromMinutes(2));
        Assert.True(theirs.ExitCode == 0, theirs.Stdout + theirs.Stderr);
        Assert.True(ours.ExitCode == 0, ours.Stdout + ours.Stderr);
        Assert.Equal(Normalized(theirs.Stdout).Replace(_tags[0], "<tag>"), Normalized(ours.Stdout).Replace(_tags[1], "<tag>"));
    }

    [Fact]
    public void A_failing_step_fails_alike()
    {
        Write($"FROM {DockerDaemon.Image}\nRUN echo out && exit 5\n");
        var theirs = docker.Cli(["build", _context], TimeSpan.FromMinutes(2));
        var ours = BerthCli.Run(docker.Socket, ["build", _context], timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(5, theirs.ExitCode);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        Assert.Equal(Normalized(theirs.Stdout), Normalized(ours.Stdout));
        Assert.Equal(Normalized(theirs.Stderr).Trim(), Normalized(ours.Stderr).Trim());
    }

    /// <summary>dockerd has no way to take secrets from berth: --secret fails before anything is sent, never dropped.</summary>
    [Fact]
    public void A_secret_needs_berthd()
    {
        Write($"FROM {DockerDaemon.Image}\nRUN --mount=type=secret,id=key cat /run/secrets/key\n");
        string secret = Path.Combine(_context, "key.txt");
        File.WriteAllText(secret, "value\n");
        var ours = BerthCli.Run(docker.Socket, ["build", "--secret", $"id=key,src={secret}", "-t", Tag(), _context], timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal("--secret requires berthd: this daemon's build API (Docker's legacy builder) carries no secrets", ours.Stderr.Trim());
        Assert.DoesNotContain("Step", ours.Stdout);
        Assert.NotEqual(0, docker.Cli("image", "inspect", _tags[^1]).ExitCode);
    }

    [Fact]
    public void Quiet_prints_the_id_and_iidfile_keeps_it()
    {
        Write($"FROM {DockerDaemon.Image}\nENV QUIET=1\n");
        string iid = Path.Combine(_context, "iid");
        var ours = BerthCli.Run(docker.Socket, ["build", "-q", "--iidfile", iid, "-t", Tag(), _context], timeout: TimeSpan.FromMinutes(2));
        Assert.True(ours.ExitCode == 0, ours.Stdout + ours.Stderr);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", ours.Stdout);
        Assert.Equal(ours.Stdout.Trim(), File.ReadAllText(iid));
        Assert.Equal(ours.Stdout.Trim(), docker.Inspect(_tags[0], "{{.Id}}"));
    }
}
