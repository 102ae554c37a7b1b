using Berth.Cli.Tests.EndToEnd;
using Berth.TestSupport;

namespace Berth.Cli.Tests;

/// <summary>
/// berth's volume commands (in this process) and the docker CLI v28 against one berthd: the same volumes listed,
/// inspected and removed give the same output.
/// </summary>
public sealed class VolumeCommandsTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;

    CliRun Berth(params string[] args) => TestCli.Run(args, new Dictionary<string, string?> { ["BERTH_HOST"] = "unix://" + _d.Socket, ["BERTH_CONFIG"] = "/nonexistent-berth-config" }, "");

    [Fact]
    public void Create_ls_inspect_rm_and_prune_print_what_docker_prints()
    {
        string a = TestIds.New("vola"), b = TestIds.New("volb");
        try
        {
            Assert.Equal(a + "\n", Berth("volume", "create", "--label", "tier=web", "-o", "type=tmpfs", "-o", "device=tmpfs", a).Stdout);
            Assert.Equal(b + "\n", Berth("volume", "create", "--name", b).Stdout);

            foreach (var args in new[]
            {
                new[] { "volume", "ls" },
                ["volume", "ls", "-q"],
                ["volume", "ls", "--filter", "label=tier=web", "--format", "{{.Name}} {{.Labels}} {{.Label \"tier\"}} {{.Scope}}"],
                ["volume", "ls", "--format", "json"],
                ["volume", "inspect", a, b],
                ["volume", "inspect", "-f", "{{.Name}} {{.Options}} {{json .Labels}}", a],
            })
            {
                var docker = _d.Cli(args).EnsureSuccess("docker " + string.Join(' ', args));
                var berth = Berth(args);
                Assert.Equal(0, berth.ExitCode);
                Assert.Equal(docker.Stdout, berth.Stdout);
            }

            var missing = Berth("volume", "rm", "berth-test-no-such-volume");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("get berth-test-no-such-volume: no such volume", missing.Stderr);
            Assert.Equal(a + "\n", Berth("volume", "rm", a).Stdout);
            var pruned = Berth("volume", "prune", "-f", "-a", "--filter", "label!=tier");
            Assert.Equal($"Deleted Volumes:\n{b}\n\nTotal reclaimed space: 0B\n", pruned.Stdout);
        }
        finally
        {
            _d.Cli("volume", "rm", "-f", a, b);
        }
    }
}
