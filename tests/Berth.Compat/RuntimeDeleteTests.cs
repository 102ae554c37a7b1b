using System.Net;
using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// berthd records a container's exit as soon as its shim reports it, while the runtime still deletes that
/// run (the engine's own clean-up runs meanwhile). What needs the run deleted waits for it: a next start
/// (same runtime ID, same shim directory) and a removal. Shown with a runtime whose delete is slow.
/// </summary>
public sealed class RuntimeDeleteTests : IDisposable
{
    const string Image = BerthDaemon.Image;
    readonly string _dir = Path.Combine(Path.GetTempPath(), TestIds.New("slow-delete"));
    readonly BerthDaemon _d;

    public RuntimeDeleteTests()
    {
        Directory.CreateDirectory(_dir);
        string runtime = Path.Combine(_dir, "runtime");
        File.WriteAllText(runtime, $$"""
            #!/bin/sh
            for a in "$@"; do
              [ "$a" = delete ] && sleep 0.5 && break
            done
            exec '{{RepoPaths.Executable("berth-runtime")}}' "$@"
            """);
        File.SetUnixFileMode(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _d = new BerthDaemon(["--add-runtime", $"slow={runtime}"]);
    }

    [Fact]
    public async Task A_container_started_again_the_moment_its_exit_is_recorded_runs_again()
    {
        string name = TestIds.New("again");
        string id = _d.Cli("create", "--runtime", "slow", "--network", "none", "--name", name, Image, "true").EnsureSuccess("docker create").Stdout.Trim();
        using var api = _d.Api();
        string? startedAt = null;
        for (int i = 0; i < 3; i++)
        {
            var start = await api.PostAsync($"/containers/{name}/start", null);
            Assert.True(start.StatusCode == HttpStatusCode.NoContent, $"start {i}: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            JsonElement state;
            do
            {
                using var inspect = JsonDocument.Parse(await api.GetStringAsync($"/containers/{name}/json"));
                state = inspect.RootElement.GetProperty("State").Clone();
            }
            while ((state.GetProperty("Running").GetBoolean() || state.GetProperty("StartedAt").GetString() == startedAt) && DateTime.UtcNow < deadline);
            Assert.False(state.GetProperty("Running").GetBoolean(), $"run {i} ended");
            Assert.NotEqual(startedAt, state.GetProperty("StartedAt").GetString());
            Assert.Equal(0, state.GetProperty("ExitCode").GetInt32());
            Assert.Equal("", state.GetProperty("Error").GetString());
            startedAt = state.GetProperty("StartedAt").GetString();
        }
        _d.Cli("rm", name).EnsureSuccess("docker rm right after the last exit");
        EngineLeftovers.AssertNoneOf(_d, [id]);
    }

    [Fact]
    public void Run_rm_returns_once_the_runtime_has_deleted_the_container()
    {
        string name = TestIds.New("rm");
        var run = _d.Cli("run", "--rm", "--runtime", "slow", "--network", "none", "--name", name, Image, "echo", "done");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("done\n", run.Stdout);
        string root = Path.Combine(_d.ExecRoot, "runtime-slow");
        // The runtime's state of the run is a directory named by the container's ID.
        Assert.DoesNotContain(Directory.GetDirectories(root), d => Path.GetFileName(d).Length == 64);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_d.ExecRoot, "s")));
    }

    public void Dispose()
    {
        _d.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
