using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Comparison;

/// <summary>
/// The runc verbs around a container, done the same way with berth-runtime, runc and crun: the
/// states it walks through, `ps`, `kill --all`, and the errors for an id that does not exist.
/// </summary>
public sealed class LifecycleComparisonTests : IDisposable
{
    readonly Peers _peers = new();

    [Fact]
    public void State_walks_created_running_stopped_with_the_same_fields()
    {
        var seen = _peers.Each(runtime =>
        {
            using var bundle = Bundle.Create("state", "sleep", "1000");
            bundle.Configure(s => s.Annotations = new Dictionary<string, string> { ["org.example.b"] = "2", ["org.example.a"] = "one" });
            string id = runtime.Track(TestIds.New("state-" + runtime.Name));
            var lines = new List<string>();
            void Observe(JsonElement s, int? initPid = null) => lines.Add(string.Join(' ',
                $"status={s.GetProperty("status").GetString()}",
                $"id={(s.GetProperty("id").GetString() == id ? "<id>" : s.GetProperty("id").GetString())}",
                $"bundle={(s.GetProperty("bundle").GetString() == bundle.Path ? "<bundle>" : s.GetProperty("bundle").GetString())}",
                $"pid={Pid(s, initPid)}",
                $"annotations={Annotations(s)}"));

            runtime.Create(bundle, id);
            var created = JsonDocument.Parse(runtime.State(id)).RootElement;
            int pid = created.GetProperty("pid").GetInt32();
            Observe(created);
            runtime.Invoke("start", id).EnsureSuccess($"{runtime.Name} start");
            Observe(JsonDocument.Parse(runtime.State(id)).RootElement, pid);
            runtime.Invoke("kill", id, "KILL").EnsureSuccess($"{runtime.Name} kill");
            LifecycleTests.WaitFor(() => Status(runtime, id) == "stopped", $"{runtime.Name}: {id} stopped");
            Observe(JsonDocument.Parse(runtime.State(id)).RootElement, pid);
            lines.Add($"delete exit={runtime.Invoke("delete", id).ExitCode}");
            lines.Add($"state after delete exit={runtime.Invoke("state", id).ExitCode}");
            return string.Join('\n', lines);
        });
        seen.AssertBerthAgrees("state transitions", null);
        Assert.StartsWith("status=created id=<id> bundle=<bundle> pid=init annotations=org.example.a=one,org.example.b=2\nstatus=running", seen.Berth);
    }

    [Fact]
    public void Ps_lists_init_and_an_execd_process()
    {
        var seen = _peers.Each(runtime =>
        {
            using var c = new RunningContainer(runtime, "ps");
            c.Exec("-d", c.Id, "sleep", "999").EnsureSuccess($"{runtime.Name} exec -d");
            var pids = JsonDocument.Parse(runtime.Invoke("ps", "--format", "json", c.Id).EnsureSuccess($"{runtime.Name} ps").Stdout)
                .RootElement.EnumerateArray().Select(e => e.GetInt32()).ToList();
            return $"count={pids.Count} init={pids.Contains(c.Pid)} others alive={pids.Where(p => p != c.Pid).All(LifecycleTests.IsAlive)}";
        });
        seen.AssertBerthAgrees("ps --format json", null);
        Assert.Equal("count=2 init=True others alive=True", seen.Berth);
    }

    [Fact]
    public void Kill_all_reaches_every_process_of_a_container_without_a_pid_namespace()
    {
        var seen = _peers.Each(runtime =>
        {
            using var c = new RunningContainer(runtime, "kill-all", s => s.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid"),
                "sh", "-c", "sleep 1000 & (sleep 1000 & wait) & wait");
            List<int> pids = [];
            LifecycleTests.WaitFor(() => (pids = Pids(runtime, c.Id)).Count == 4, $"{runtime.Name}: four processes in {c.Id}");
            int exit = runtime.Invoke("kill", "--all", c.Id, "KILL").ExitCode;
            LifecycleTests.WaitFor(() => !pids.Any(LifecycleTests.IsAlive), $"{runtime.Name}: every process of {c.Id} gone");
            LifecycleTests.WaitFor(() => Status(runtime, c.Id) == "stopped", $"{runtime.Name}: {c.Id} stopped");
            return $"processes={pids.Count} kill --all exit={exit}";
        });
        // Whether they are gone is asked of the kernel, not of `ps`: for a container without
        // processes runc 1.1.5 prints null (a Go nil slice) where berth prints [], and crun 1.8
        // crashes (SIGSEGV).
        seen.AssertBerthAgrees("kill --all", null);
        Assert.Equal("processes=4 kill --all exit=0", seen.Berth);
    }

    // Where runc and crun differ, berth answers as runc does: containerd and Podman are written
    // against runc's exit statuses and messages.
    [Theory]
    [InlineData("state")]
    [InlineData("start")]
    [InlineData("kill")]
    [InlineData("delete")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("update")]
    [InlineData("ps", "crun 1.8 exits 253 from ps")]
    [InlineData("exec", "runc's exec exits 255 when it cannot run the process; crun's 1")]
    [InlineData("events", "crun has no events command")]
    public void An_unknown_id_is_reported_as_runc_reports_it(string command, string? whyPeersDiffer = null)
    {
        var seen = _peers.Each(runtime =>
        {
            string[] args = command == "exec" ? ["exec", "berth-test-no-such-id", "true"] : [command, "berth-test-no-such-id"];
            var result = runtime.Invoke(args);
            bool notFound = result.Stderr.Contains("does not exist") || result.Stderr.Contains("No such file or directory");
            return $"exit={result.ExitCode} {(notFound ? "not found" : "other: " + result.Stderr.Trim())}";
        });
        seen.AssertBerthAgreesWithRunc($"{command} of an unknown id", whyPeersDiffer);
        Assert.EndsWith("not found", seen.Berth);
    }

    static string Status(OciRuntimeCli runtime, string id)
    {
        var result = runtime.Invoke("state", id);
        return result.ExitCode == 0 ? JsonDocument.Parse(result.Stdout).RootElement.GetProperty("status").GetString()! : "gone";
    }

    /// <summary>`ps --format json` as a list (runc 1.1.5 prints null for none).</summary>
    static List<int> Pids(OciRuntimeCli runtime, string id)
    {
        var json = JsonDocument.Parse(runtime.Invoke("ps", "--format", "json", id).EnsureSuccess($"{runtime.Name} ps").Stdout).RootElement;
        return json.ValueKind == JsonValueKind.Null ? [] : [.. json.EnumerateArray().Select(e => e.GetInt32())];
    }

    static string Pid(JsonElement state, int? initPid)
    {
        int pid = state.GetProperty("pid").GetInt32();
        return pid == 0 ? "0" : initPid is null || pid == initPid ? "init" : pid.ToString();
    }

    static string Annotations(JsonElement state)
        => state.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object
            ? string.Join(',', a.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").Order())
            : "none";

    public void Dispose() => _peers.Dispose();
}
