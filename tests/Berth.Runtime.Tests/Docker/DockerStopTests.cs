using System.Diagnostics;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>docker kill, stop and rm -f, each through berth-runtime's kill and delete.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerStopTests(BerthDockerDaemon docker)
{
    [Fact]
    public void Kill_ends_the_container_with_SIGKILL()
    {
        string name = TestIds.New("docker-kill");
        try
        {
            docker.StartDetached(name, []);
            docker.Cli("kill", name).EnsureSuccess("docker kill");
            Assert.Equal("exited 137", docker.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Kill_with_a_signal_reaches_the_process()
    {
        string name = TestIds.New("docker-killsig");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "trap 'exit 12' USR1; while true; do usleep 20000; done");
            Thread.Sleep(200);
            docker.Cli("kill", "--signal", "USR1", name).EnsureSuccess("docker kill --signal USR1");
            Assert.Equal("12", docker.Cli("wait", name).EnsureSuccess("docker wait").Stdout.Trim());
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Stop_sends_SIGTERM_and_the_process_exits_on_it()
    {
        string name = TestIds.New("docker-stop");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "trap 'exit 7' TERM; while true; do usleep 20000; done");
            Thread.Sleep(200);
            docker.Cli("stop", name).EnsureSuccess("docker stop");
            // Exit status 7 is the trap's: SIGTERM arrived (without it, docker stop's SIGKILL would give 137).
            Assert.Equal("exited 7", docker.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Stop_kills_a_process_that_ignores_SIGTERM_after_the_timeout()
    {
        string name = TestIds.New("docker-stopkill");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "trap '' TERM; while true; do usleep 20000; done");
            docker.Cli("stop", "--time", "1", name).EnsureSuccess("docker stop --time 1");
            Assert.Equal("exited 137", docker.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
        }
        finally
        {
            docker.Remove(name);
        }
    }

    [Fact]
    public void Rm_force_removes_a_running_container_and_its_runtime_state()
    {
        string name = TestIds.New("docker-rmf");
        docker.StartDetached(name, [], "sh", "-c", "sleep 1000 & sleep 1000");
        string id = docker.Inspect(name, "{{.Id}}");
        docker.Cli("rm", "-f", name).EnsureSuccess("docker rm -f");
        Assert.NotEqual(0, docker.Cli("inspect", name).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(docker.RuntimeRoot, id)), "berth-runtime's state directory is left behind");
    }
}
