using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>create, start, state, kill, delete, run, list, ps: the runc verbs and their errors.</summary>
public sealed class LifecycleTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void Create_start_kill_delete_walks_through_the_states()
    {
        using var bundle = Bundle.Create("life", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("life"));
        _runtime.Create(bundle, id);
        var created = JsonDocument.Parse(_runtime.State(id)).RootElement;
        Assert.Equal("created", created.GetProperty("status").GetString());
        int pid = created.GetProperty("pid").GetInt32();
        Assert.True(pid > 0);
        Assert.Equal(bundle.Path, created.GetProperty("bundle").GetString());
        // Created: init waits, the user's program has not been executed yet.
        Assert.DoesNotContain("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        _runtime.Invoke("start", id).EnsureSuccess("start");
        var running = JsonDocument.Parse(_runtime.State(id)).RootElement;
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(pid, running.GetProperty("pid").GetInt32());
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        _runtime.Invoke("kill", id, "KILL").EnsureSuccess("kill");
        WaitForStatus(id, "stopped");
        _runtime.Invoke("delete", id).EnsureSuccess("delete");
        Assert.False(Directory.Exists(Path.Combine(_runtime.Root, id)));
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("sleep"));
    }

    [Fact]
    public void Run_returns_the_exit_status_and_output_of_the_container()
    {
        using var bundle = Bundle.Create("run", "sh", "-c", "echo out; echo err >&2; exit 7");
        var result = _runtime.Run(bundle);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err", result.Stderr);
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    [Fact]
    public void Run_reports_a_signal_as_128_plus_its_number()
    {
        // Without a pid namespace the shell is not an init, which would ignore SIGTERM.
        using var bundle = Bundle.Create("sig", "sh", "-c", "kill -TERM $$; sleep 5");
        bundle.Configure(s => s.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid"));
        Assert.Equal(128 + 15, _runtime.Run(bundle).ExitCode);
    }

    [Fact]
    public void Run_detached_leaves_the_container_running()
    {
        using var bundle = Bundle.Create("detach", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("detach"));
        string pidFile = Path.Combine(bundle.Path, "pid");
        _runtime.Invoke("run", "-d", "--pid-file", pidFile, "--bundle", bundle.Path, id).EnsureSuccess("run -d");
        var state = JsonDocument.Parse(_runtime.State(id)).RootElement;
        Assert.Equal("running", state.GetProperty("status").GetString());
        Assert.Equal(state.GetProperty("pid").GetInt32().ToString(), File.ReadAllText(pidFile));
    }

    [Fact]
    public void A_duplicate_id_is_refused_and_the_first_container_is_untouched()
    {
        using var bundle = Bundle.Create("dup", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("dup"));
        _runtime.Create(bundle, id);
        var second = _runtime.Invoke("create", "--bundle", bundle.Path, id);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("container with given ID already exists", second.Stderr);
        Assert.Contains("\"created\"", _runtime.State(id));
    }

    [Theory]
    [InlineData("state")]
    [InlineData("start")]
    [InlineData("kill")]
    [InlineData("delete")]
    [InlineData("pause")]
    [InlineData("ps")]
    public void An_unknown_id_is_an_error(string command)
    {
        var result = _runtime.Invoke(command, "berth-test-no-such-container");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
    }

    [Fact]
    public void Concurrent_creates_of_one_id_let_exactly_one_win_and_leave_nothing_else()
    {
        using var bundle = Bundle.Create("race", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("race"));
        var results = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => _runtime.Invoke("create", "--bundle", bundle.Path, id)).ToList();
        Assert.Single(results, r => r.ExitCode == 0);
        Assert.All(results.Where(r => r.ExitCode != 0), r => Assert.Contains("container with given ID already exists", r.Errors));
        Assert.Contains("\"created\"", _runtime.State(id));
        // Exactly one waiting init: the losers made no process.
        var inits = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Where(p => int.TryParse(p, out _) && File.Exists($"/proc/{p}/cgroup")
                && File.ReadAllText($"/proc/{p}/cgroup").Contains($"/{id}\n"))
            .ToList();
        Assert.Single(inits);
    }

    [Fact]
    public void Concurrent_deletes_and_kills_of_one_container_are_serialised()
    {
        using var bundle = Bundle.Create("race2", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("race2"));
        _runtime.Create(bundle, id);
        _runtime.Invoke("start", id).EnsureSuccess("start");
        var results = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6)
            .Select(i => i % 2 == 0 ? _runtime.Invoke("delete", "--force", id) : _runtime.Invoke("kill", id, "KILL")).ToList();
        // Every delete --force succeeds (a second one finds nothing: not an error with --force); kills either
        // reach the container or find it gone, with one clear error.
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(0, r.ExitCode));
        Assert.All(results.Where(r => r.ExitCode != 0), r => Assert.Matches("does not exist|container not running", r.Errors));
        Assert.Equal(1, _runtime.Invoke("state", id).ExitCode);
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    [Fact]
    public void Starting_twice_and_deleting_a_running_container_are_refused()
    {
        using var bundle = Bundle.Create("twice", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("twice"));
        _runtime.Create(bundle, id);
        _runtime.Invoke("start", id).EnsureSuccess("start");
        var again = _runtime.Invoke("start", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("cannot start an already running container", again.Stderr);

        var delete = _runtime.Invoke("delete", id);
        Assert.Equal(1, delete.ExitCode);
        Assert.Contains($"cannot delete container {id} that is not stopped: running", delete.Stderr);
        Assert.Contains("\"running\"", _runtime.State(id));

        _runtime.Invoke("delete", "--force", id).EnsureSuccess("delete --force");
        Assert.Equal(1, _runtime.Invoke("state", id).ExitCode);
    }

    [Fact]
    public void Deleting_a_created_container_kills_its_waiting_init()
    {
        using var bundle = Bundle.Create("created", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("created"));
        _runtime.Create(bundle, id);
        int pid = JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("pid").GetInt32();
        _runtime.Invoke("delete", id).EnsureSuccess("delete");
        Assert.False(IsAlive(pid));
    }

    [Fact]
    public void Kill_accepts_names_and_numbers_and_rejects_unknown_signals()
    {
        using var bundle = Bundle.Create("kill", "sh", "-c", "trap 'echo got USR1 > /tmp/usr1' USR1; while true; do sleep 0.05; done");
        bundle.Configure(s => s.Root!.Readonly = false);
        string id = _runtime.Track(TestIds.New("kill"));
        _runtime.Create(bundle, id);
        _runtime.Invoke("start", id).EnsureSuccess("start");
        Thread.Sleep(200);
        _runtime.Invoke("kill", id, "SIGUSR1").EnsureSuccess("kill SIGUSR1");
        WaitFor(() => File.Exists(Path.Combine(bundle.Rootfs, "tmp/usr1")), "the trap to run");
        var bad = _runtime.Invoke("kill", id, "NOPE");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("unknown signal \"NOPE\"", bad.Errors);
        _runtime.Invoke("kill", id, "9").EnsureSuccess("kill 9");
        WaitForStatus(id, "stopped");
    }

    [Fact]
    public void List_and_ps_show_the_container()
    {
        using var bundle = Bundle.Create("list", "sleep", "1000");
        string id = _runtime.Track(TestIds.New("list"));
        _runtime.Create(bundle, id);
        _runtime.Invoke("start", id).EnsureSuccess("start");
        int pid = JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("pid").GetInt32();

        var table = _runtime.Invoke("list").EnsureSuccess("list").Stdout.Split('\n');
        Assert.StartsWith("ID", table[0]);
        Assert.Contains("OWNER", table[0]);
        Assert.Contains(table, l => l.StartsWith(id) && l.Contains("running") && l.Contains(pid.ToString()) && l.EndsWith("root"));

        var json = JsonDocument.Parse(_runtime.Invoke("list", "--format", "json").EnsureSuccess("list json").Stdout).RootElement;
        Assert.Contains(json.EnumerateArray(), e => e.GetProperty("id").GetString() == id && e.GetProperty("owner").GetString() == "root");

        var pids = JsonDocument.Parse(_runtime.Invoke("ps", "--format", "json", id).EnsureSuccess("ps json").Stdout).RootElement;
        Assert.Contains(pid, pids.EnumerateArray().Select(e => e.GetInt32()));
        var ps = _runtime.Invoke("ps", id).EnsureSuccess("ps").Stdout;
        Assert.Contains("PID", ps);
        Assert.Contains("sleep 1000", ps);
    }

    [Fact]
    public void Version_and_features_describe_the_runtime()
    {
        Assert.Contains("berth-runtime version", _runtime.Invoke("--version").EnsureSuccess("--version").Stdout);
        var features = JsonDocument.Parse(_runtime.Invoke("features").EnsureSuccess("features").Stdout).RootElement;
        Assert.Contains("user", features.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("poststop", features.GetProperty("hooks").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Systemd_cgroup_is_refused_clearly()
    {
        var result = _runtime.Invoke("--systemd-cgroup", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("systemd cgroup driver is not supported", result.Stderr);
    }

    void WaitForStatus(string id, string status)
        => WaitFor(() => JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("status").GetString() == status, $"status {status}");

    internal static void WaitFor(Func<bool> condition, string what, int timeoutMs = 10000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat.Contains(") Z ");
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => _runtime.Dispose();
}
