using Berth.Linux;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// berthd killed in the middle of a start (its shim up, the start not recorded): the next berthd
/// ends that shim and shows the container as not running, and the container starts again as if
/// nothing had happened.
/// </summary>
public sealed class InterruptedStartTests
{
    const string Image = BerthDaemon.Image;

    [Fact]
    public async Task A_start_that_completed_unseen_by_a_killed_berthd_is_undone_by_the_next()
    {
        string gated = Path.Combine(Path.GetTempPath(), TestIds.New("gated-runtime"));
        Directory.CreateDirectory(gated);
        try
        {
            string reached = Path.Combine(gated, "reached"), open = Path.Combine(gated, "open"), runtime = Path.Combine(gated, "runtime");
            // berth-runtime, held at a create or run until the test opens the gate (a bound keeps it from hanging).
            File.WriteAllText(runtime, $$"""
                #!/bin/sh
                for a in "$@"; do
                  case "$a" in
                    run|create) : >'{{reached}}'; i=0; while [ ! -e '{{open}}' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; break ;;
                  esac
                done
                exec '{{RepoPaths.Executable("berth-runtime")}}' "$@"
                """);
            File.SetUnixFileMode(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var d = new BerthDaemon(["--add-runtime", $"gated={runtime}"]);
            const string name = "compat-unseen-start";

            var run = Task.Run(() => d.Cli("run", "-d", "--runtime", "gated", "--name", name, "--network", "none", Image, "sleep", "1000"));
            Wait.Until(() => File.Exists(reached), "the runtime held at its create");
            d.Kill();
            File.WriteAllText(open, "");
            Assert.NotEqual(0, (await run.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode);
            // The shim finishes the start nobody is waiting for any more: the container runs, unrecorded.
            string shimState = Assert.Single(Directory.GetDirectories(Path.Combine(d.ExecRoot, "s")));
            string pidFile = Path.Combine(shimState, "init.pid");
            Wait.Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, "the container started");
            int pid = int.Parse(File.ReadAllText(pidFile).Trim());
            Assert.True(Processes.Exists(pid));

            d.Start();

            Assert.Equal("created false", d.Inspect(name, "{{.State.Status}} {{.State.Running}}"));
            Assert.NotEqual("", d.Inspect(name, "{{.State.Error}}"));
            Assert.True(!Processes.Exists(pid) || Processes.IsDeadOrZombie(pid), "the container's process is gone");
            Wait.Until(() => Leftovers.ProcessesMentioning(shimState).Count == 0, "the shim gone");
            string id = d.Inspect(name, "{{.Id}}");
            Assert.DoesNotContain(id, File.ReadAllText("/proc/self/mountinfo"));
            Assert.False(Directory.Exists(shimState));

            d.Cli("start", name).EnsureSuccess("docker start after the undone start");
            Assert.Equal("running", d.Inspect(name, "{{.State.Status}}"));
            d.Cli("rm", "-f", name).EnsureSuccess("docker rm -f");
            EngineLeftovers.AssertNoneOf(d, [id]);
        }
        finally
        {
            Directory.Delete(gated, recursive: true);
        }
    }

    [Fact]
    public void A_shim_left_waiting_for_its_start_by_a_killed_berthd_is_ended_by_the_next()
    {
        using var d = new BerthDaemon();
        const string name = "compat-waiting-shim";
        string id = d.Cli("create", "--name", name, "--network", "none", Image, "sleep", "1000").EnsureSuccess("docker create").Stdout.Trim();
        d.Kill();
        // The shim as berthd starts one (same flags, same places), up and waiting for a start that never comes.
        string shimState = Path.Combine(d.ExecRoot, "s", id[..16]);
        Directory.CreateDirectory(shimState);
        string ready = d.PathOf("waiting-shim.ready");
        int shim;
        using (var readyFile = Files.Open(ready, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, mode: 384))
        using (var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite))
        {
            int nul = (int)devNull.DangerousGetHandle();
            string shimPath = RepoPaths.Executable("berth-shim");
            shim = Processes.Spawn(new SpawnOptions
            {
                Path = shimPath,
                Args =
                [
                    shimPath, "--serve", "--id", id, "--bundle", Path.Combine(d.ExecRoot, "bundles", id), "--state", shimState,
                    "--runtime", RepoPaths.Executable("berth-runtime"), "--runtime-root", Path.Combine(d.ExecRoot, "runtime-berth"),
                ],
                Files = new Dictionary<int, int> { [0] = nul, [1] = (int)readyFile.DangerousGetHandle(), [2] = nul },
                NewSession = true,
                WorkingDirectory = "/",
            });
        }
        try
        {
            Wait.Until(() => File.ReadAllText(ready).EndsWith('\n'), "the shim ready");
            Assert.Contains("\"Ready\":true", File.ReadAllText(ready));

            d.Start();

            Assert.Equal("created false", d.Inspect(name, "{{.State.Status}} {{.State.Running}}"));
            Wait.Until(() => Processes.TryReap(shim) is not null, "the waiting shim ended");
            Assert.False(Directory.Exists(shimState));
            d.Cli("start", name).EnsureSuccess("docker start after the daemon's restart");
            Assert.Equal("running", d.Inspect(name, "{{.State.Status}}"));
            d.Cli("rm", "-f", name).EnsureSuccess("docker rm -f");
            EngineLeftovers.AssertNoneOf(d, [id]);
        }
        finally
        {
            Processes.TryKill(shim, Signals.SIGKILL);
            Processes.TryReap(shim);
        }
    }
}
