using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Limits;

/// <summary>linux.resources.memory through the runtime CLI on real cgroups: the OOM killer and `events`.</summary>
public sealed class MemoryLimitTests : IDisposable
{
    const long MiB = 1024 * 1024;
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void A_memory_hog_is_oom_killed_at_its_limit_and_events_reports_it()
    {
        const long limit = 32 * MiB;
        // tail keeps all of a "line" of /dev/zero, which never ends: memory grows until the limit.
        using var bundle = Bundle.Create("oom", "tail", "/dev/zero");
        // Swap as large as the memory limit (the spec's swap is memory+swap): none to escape into.
        bundle.Configure(s => s.Linux!.Resources!.Memory = new LinuxMemory { Limit = limit, Swap = limit });
        string id = _runtime.Track(TestIds.New("oom"));
        _runtime.Create(bundle, id);
        var cgroup = new ContainerCgroup(JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("pid").GetInt32());
        Assert.Equal(limit, long.Parse(cgroup.Read("memory", "memory.limit_in_bytes", "memory.max")));

        using var events = new BackgroundCommand(RepoPaths.Executable("berth-runtime"), ["--root", _runtime.Root, "events", "--interval", "1h", id]);
        // Its first stats line is written once it has read the OOM count it compares against.
        LifecycleTests.WaitFor(() => events.Output.Contains("\"type\":\"stats\""), "events to start");
        _runtime.Invoke("start", id).EnsureSuccess("start");

        LifecycleTests.WaitFor(() => events.Output.Contains("\"type\":\"oom\""), "the oom event", 30000);
        LifecycleTests.WaitFor(() => Status(id) == "stopped", "the container to stop");
        // events ends by itself when the container stops (runc's keeps running; the test's Dispose
        // would stop it by its PID).
        Assert.True(events.WaitForExit(TimeSpan.FromSeconds(5)), "events still running after the container stopped");
        var oom = events.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("type").GetString() == "oom");
        Assert.Equal(id, oom.GetProperty("id").GetString());

        // Killed by the kernel at the limit, not earlier for another reason.
        Assert.Equal(1, cgroup.Key("memory", "memory.oom_control", "memory.events", "oom_kill"));
        if (cgroup.OnV1("memory"))
            Assert.Equal(limit, long.Parse(cgroup.Read("memory", "memory.max_usage_in_bytes", "")));
    }

    [Fact]
    public void Events_stats_shows_memory_usage_and_limit_and_pids()
    {
        using var c = new RunningContainer(_runtime, "stats", s => s.Linux!.Resources = new LinuxResources
        {
            Devices = s.Linux.Resources!.Devices,
            Memory = new LinuxMemory { Limit = 64 * MiB },
            Pids = new LinuxPids { Limit = 50 },
        }, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        LifecycleTests.WaitFor(() => new ContainerCgroup(c.Pid).Read("pids", "pids.current", "pids.current") == "3", "three processes");
        var result = _runtime.Invoke("events", "--stats", c.Id).EnsureSuccess("events --stats");
        var e = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("stats", e.GetProperty("type").GetString());
        Assert.Equal(c.Id, e.GetProperty("id").GetString());
        var data = e.GetProperty("data");
        var memory = data.GetProperty("memory").GetProperty("usage");
        Assert.Equal(64 * MiB, memory.GetProperty("limit").GetInt64());
        Assert.InRange(memory.GetProperty("usage").GetInt64(), 1, 64 * MiB);
        Assert.Equal(3, data.GetProperty("pids").GetProperty("current").GetInt64());
        Assert.Equal(50, data.GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.True(data.GetProperty("cpu").GetProperty("usage").GetProperty("total").GetInt64() > 0);
    }

    string Status(string id) => JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("status").GetString()!;

    public void Dispose() => _runtime.Dispose();
}
