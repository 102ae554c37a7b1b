using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>The six hook kinds run in order with the state on stdin; a failing one fails the step.</summary>
public sealed class HookTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    static Hook Recorder(string kind, string log) => new()
    {
        Path = "/bin/sh",
        Args = ["sh", "-c", $"read state; status=$(echo \"$state\" | sed 's/.*\"status\":\"\\([a-z]*\\)\".*/\\1/'); echo \"{kind} $status\" >> {log}"],
        Timeout = 10,
    };

    [Fact]
    public void All_hooks_run_in_order_with_the_state_on_stdin()
    {
        string dir = Path.Combine(Path.GetTempPath(), TestIds.New("hooks"));
        Directory.CreateDirectory(dir);
        string hostLog = Path.Combine(dir, "log");
        try
        {
            using var bundle = Bundle.Create("hooks", "sh", "-c", "echo process >> /hooks/log");
            bundle.Configure(s =>
            {
                s.Mounts!.Add(new Mount { Destination = "/hooks", Type = "bind", Source = dir, Options = ["rbind", "rw"] });
                s.Hooks = new Hooks
                {
                    Prestart = [Recorder("prestart", hostLog)],
                    CreateRuntime = [Recorder("createRuntime", hostLog)],
                    // Before pivot_root, inside the container's mount namespace: host paths still resolve.
                    CreateContainer = [Recorder("createContainer", hostLog)],
                    // After pivot_root: the container's own sh, the log through the bind mount.
                    StartContainer = [Recorder("startContainer", "/hooks/log")],
                    Poststart = [Recorder("poststart", hostLog)],
                    Poststop = [Recorder("poststop", hostLog)],
                };
            });
            _runtime.Run(bundle).EnsureSuccess("run with hooks");
            var lines = File.ReadAllLines(hostLog);
            Assert.Equal(["prestart creating", "createRuntime creating", "createContainer creating", "startContainer created"], lines[..4]);
            Assert.Contains("process", lines);
            Assert.Contains("poststart running", lines);
            Assert.Equal("poststop stopped", lines[^1]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_failing_prestart_hook_fails_create_and_leaves_nothing()
    {
        using var bundle = Bundle.Create("hookfail", "true");
        bundle.Configure(s => s.Hooks = new Hooks { Prestart = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", "echo broken >&2; exit 3"] }] });
        string id = _runtime.Track(TestIds.New("hookfail"));
        var result = _runtime.Invoke("create", "--bundle", bundle.Path, id);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("prestart hook #0", result.Stderr);
        Assert.Contains("exit status 3", result.Stderr);
        Assert.Contains("broken", result.Stderr);
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    [Fact]
    public void A_hook_past_its_timeout_is_killed_and_fails()
    {
        using var bundle = Bundle.Create("hooktimeout", "true");
        bundle.Configure(s => s.Hooks = new Hooks { CreateRuntime = [new Hook { Path = "/bin/sleep", Args = ["sleep", "30"], Timeout = 1 }] });
        var result = _runtime.Run(bundle, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("timeout", result.Stderr);
    }

    public void Dispose() => _runtime.Dispose();
}
