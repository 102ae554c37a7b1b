using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Limits;

/// <summary>pids.limit against a fork bomb, and `kill --all` in a container without its own pid namespace.</summary>
public sealed class ProcessLimitTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void A_pids_limit_stops_a_fork_bomb()
    {
        const int limit = 10;
        using var c = new RunningContainer(_runtime, "pids", s => s.Linux!.Resources!.Pids = new LinuxPids { Limit = limit });
        var cgroup = new ContainerCgroup(c.Pid);
        Assert.Equal($"{limit}", cgroup.Read("pids", "pids.max", "pids.max"));

        // Forks until the kernel refuses, printing the count of each fork that succeeded (echo is
        // a shell builtin: printing takes no process).
        var bomb = c.Exec(c.Id, "sh", "-c", "i=0; while [ $i -lt 100 ]; do sleep 60 & i=$((i+1)); echo $i; done");
        Assert.NotEqual(0, bomb.ExitCode);
        Assert.Contains("can't fork: Resource temporarily unavailable", bomb.Stderr);
        int forked = bomb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        // The init (sleep) and the exec'd shell take two of the ten.
        Assert.Equal(limit - 2, forked);
        var pids = JsonDocument.Parse(_runtime.Invoke("ps", "--format", "json", c.Id).EnsureSuccess("ps").Stdout).RootElement.GetArrayLength();
        Assert.Equal(1 + forked, pids);
        Assert.True(int.Parse(cgroup.Read("pids", "pids.current", "pids.current")) <= limit);
    }

    [Fact]
    public void Kill_all_reaches_every_process_of_a_container_without_its_own_pid_namespace()
    {
        // A shell with children and grandchildren, none of them in a pid namespace of its own: a
        // signal to init alone would leave the rest running.
        using var c = new RunningContainer(_runtime, "kill-all", s => s.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid"),
            "sh", "-c", "sleep 1000 & (sleep 1000 & sleep 1000 & wait) & (sh -c 'sleep 1000 & wait') & wait");
        List<int> pids = [];
        LifecycleTests.WaitFor(() => (pids = Pids(c.Id)).Count == 7, "seven processes");

        _runtime.Invoke("kill", "--all", c.Id, "TERM").EnsureSuccess("kill --all TERM");
        LifecycleTests.WaitFor(() => !pids.Any(LifecycleTests.IsAlive), "every process to be gone");
        LifecycleTests.WaitFor(() => c.Status == "stopped", "the container to stop");
        Assert.Empty(Pids(c.Id));
    }

    List<int> Pids(string id)
        => [.. JsonDocument.Parse(_runtime.Invoke("ps", "--format", "json", id).EnsureSuccess("ps").Stdout).RootElement.EnumerateArray().Select(e => e.GetInt32())];

    public void Dispose() => _runtime.Dispose();
}
