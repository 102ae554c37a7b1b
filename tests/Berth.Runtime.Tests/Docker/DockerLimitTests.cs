using System.Diagnostics;
using System.Globalization;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>--memory and --pids-limit, enforced through the cgroups berth-runtime made.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerLimitTests(BerthDockerDaemon docker)
{
    [Fact]
    public void A_memory_hog_is_killed_by_the_OOM_killer()
    {
        string name = TestIds.New("docker-oom");
        try
        {
            // The string doubles until the 32 MiB limit (no swap) is hit.
            var result = docker.Run("--name", name, "--memory", "32m", "--memory-swap", "32m", DockerDaemon.Image,
                "sh", "-c", "x=a; while true; do x=$x$x; done");
            Assert.True(result.ExitCode == 137, $"exit status {result.ExitCode}, expected 137 (SIGKILL)\nstderr: {result.Stderr}");
            Assert.Equal("true 137", docker.Inspect(name, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void A_fork_bomb_is_stopped_by_the_pids_limit_and_the_container_still_goes_away()
    {
        string name = TestIds.New("docker-bomb");
        try
        {
            docker.StartDetached(name, ["--pids-limit", "20"], "sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 1000");
            Thread.Sleep(1000);
            var stats = docker.Cli("stats", "--no-stream", "--format", "{{.PIDs}}", name).EnsureSuccess("docker stats").Stdout.Trim();
            int pids = int.Parse(stats, CultureInfo.InvariantCulture);
            Assert.InRange(pids, 1, 20);
            // kill --all freezes the cgroup first: the bomb cannot outrun it.
            docker.Cli("rm", "-f", name).EnsureSuccess("docker rm -f of the fork bomb");
            Assert.NotEqual(0, docker.Cli("inspect", name).ExitCode);
        }
        finally
        {
            docker.Remove(name);
        }
    }
}
