using System.Diagnostics;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Podman;

/// <summary>--memory and --pids-limit with berth-runtime; kill, stop and rm -f.</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanLimitTests(PodmanHost podman)
{
    [Fact]
    public void A_memory_hog_is_killed_by_the_OOM_killer()
    {
        string name = TestIds.New("podman-oom");
        try
        {
            var result = podman.Run("--name", name, "--memory", "32m", "--memory-swap", "32m", PodmanHost.Image,
                "sh", "-c", "x=a; while true; do x=$x$x; done");
            Assert.True(result.ExitCode == 137, $"exit status {result.ExitCode}, expected 137 (SIGKILL)\nstderr: {result.Stderr}");
            // conmon notices the OOM kill only sometimes on a cgroup v1 host (also with runc): the exit status is what counts.
            Assert.Matches("^(true|false) 137$", podman.Inspect(name, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        }
        finally
        {
            podman.Remove(name);
        }
    }

    [Fact]
    public void The_pids_limit_stops_a_fork_bomb()
    {
        var result = podman.Run("--rm", "--pids-limit", "20", PodmanHost.Image, "sh", "-c",
            "for i in $(seq 1 40); do sleep 10 & done; echo all-forked");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("can't fork", result.Stderr);
        Assert.DoesNotContain("all-forked", result.Stdout);
    }

    [Fact]
    public void Kill_stop_and_rm_force_end_containers()
    {
        string killed = TestIds.New("podman-kill"), stopped = TestIds.New("podman-stop"), removed = TestIds.New("podman-rmf");
        try
        {
            podman.StartDetached(killed, []);
            podman.StartDetached(stopped, [], "sh", "-c", "trap 'exit 7' TERM; while true; do usleep 20000; done");
            podman.StartDetached(removed, [], "sh", "-c", "sleep 1000 & sleep 1000");

            podman.Cli("kill", killed).EnsureSuccess("podman kill");
            podman.Cli("wait", killed).EnsureSuccess("podman wait");
            Assert.Equal("exited 137", podman.Inspect(killed, "{{.State.Status}} {{.State.ExitCode}}"));

            podman.Cli("stop", stopped).EnsureSuccess("podman stop");
            // Exit status 7 is the trap's: SIGTERM arrived (without it, podman stop's SIGKILL would give 137).
            Assert.Equal("exited 7", podman.Inspect(stopped, "{{.State.Status}} {{.State.ExitCode}}"));

            string id = podman.Inspect(removed, "{{.Id}}");
            podman.Cli("rm", "-f", "-t", "0", removed).EnsureSuccess("podman rm -f");
            Assert.NotEqual(0, podman.Cli("inspect", removed).ExitCode);
            // conmon's cleanup may run the runtime's delete just after rm returns: it must happen, soon.
            LifecycleTests.WaitFor(() => !Directory.Exists(Path.Combine(podman.RuntimeRoot, id)), "berth-runtime's state directory to be removed");
        }
        finally
        {
            podman.Remove(killed);
            podman.Remove(stopped);
            podman.Remove(removed);
        }
    }
}
