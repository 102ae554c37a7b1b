using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>An unprivileged user runs a container: its own uid mapped to root in a new user namespace, no cgroups.</summary>
public sealed class RootlessTests : IDisposable
{
    const string Uid = "54321";
    readonly string _dir = Path.Combine(Path.GetTempPath(), TestIds.New("rootless"));

    [Fact]
    public void An_unprivileged_user_runs_a_rootless_spec()
    {
        string setpriv = HostTools.Require("setpriv", "util-linux");
        string runtime = RepoPaths.Executable("berth-runtime");
        Directory.CreateDirectory(_dir);
        BusyboxRootfs.CopyTo(Directory.CreateDirectory(Path.Combine(_dir, "rootfs")).FullName);
        ProcessRunner.Run("/bin/chown", ["-R", $"{Uid}:{Uid}", _dir]).EnsureSuccess("chown");
        string[] asUser = ["--reuid", Uid, "--regid", Uid, "--clear-groups", "/usr/bin/env", $"XDG_RUNTIME_DIR={_dir}/run", runtime];

        ProcessRunner.Run(setpriv, [.. asUser, "spec", "--rootless", "--bundle", _dir]).EnsureSuccess("spec --rootless");
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, File.ReadAllText(config)
            .Replace("\"terminal\": true", "\"terminal\": false")
            .Replace("\"sh\"\n", "\"sh\", \"-c\", \"id -u; cat /proc/self/uid_map; echo $(cat /proc/self/status | grep CapEff)\"\n"));
        Directory.CreateDirectory(Path.Combine(_dir, "run"));
        ProcessRunner.Run("/bin/chown", [$"{Uid}:{Uid}", Path.Combine(_dir, "run")]).EnsureSuccess("chown run");

        var result = ProcessRunner.Run(setpriv, [.. asUser, "run", "--bundle", _dir, TestIds.New("rootless")]);
        result.EnsureSuccess("rootless run");
        var lines = result.Stdout.Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.Equal($"0 {Uid} 1", string.Join(' ', lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        // The state went to $XDG_RUNTIME_DIR/berth-runtime (runc's rootless default), and is gone again.
        Assert.True(Directory.Exists(Path.Combine(_dir, "run", "berth-runtime")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_dir, "run", "berth-runtime")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }
}
