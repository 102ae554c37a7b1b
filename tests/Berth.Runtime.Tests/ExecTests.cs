using System.Text.Json;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>`exec`: a new process in a running container's namespaces and cgroup.</summary>
public sealed class ExecTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void Exec_runs_in_the_containers_namespaces_and_returns_its_status()
    {
        using var c = new RunningContainer(_runtime, "exec", s => s.Hostname = "inside");
        var result = c.Exec(c.Id, "sh", "-c", "hostname; for n in pid mnt net; do readlink /proc/self/ns/$n; done; ps -o pid,comm | grep -c sleep; exit 4");
        Assert.Equal(4, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("inside", lines[0]);
        Assert.Equal(new FileInfo($"/proc/{c.Pid}/ns/pid").LinkTarget, lines[1]);
        Assert.Equal(new FileInfo($"/proc/{c.Pid}/ns/mnt").LinkTarget, lines[2]);
        Assert.Equal(new FileInfo($"/proc/{c.Pid}/ns/net").LinkTarget, lines[3]);
        Assert.Equal("1", lines[4]);
    }

    [Fact]
    public void Exec_flags_set_env_cwd_user_and_capabilities()
    {
        using var c = new RunningContainer(_runtime, "execflags");
        var result = c.Exec("--env", "A=1", "-e", "B=2", "--cwd", "/tmp", "--user", "1000:1000", "--additional-gids", "7",
            "--cap", "CAP_SYS_ADMIN", c.Id, "sh", "-c", "echo $A$B; pwd; id -u; id -G; grep CapBnd /proc/self/status");
        result.EnsureSuccess("exec");
        var lines = result.Stdout.Split('\n');
        Assert.Equal("12", lines[0]);
        Assert.Equal("/tmp", lines[1]);
        Assert.Equal("1000", lines[2]);
        Assert.Equal("1000 7", lines[3]);
        Assert.NotEqual(0UL, Convert.ToUInt64(Probe.StatusField(result.Stdout, "CapBnd"), 16) & (1UL << 21));
    }

    [Fact]
    public void Exec_detached_writes_the_pid_file_and_the_process_lives_in_the_container()
    {
        using var c = new RunningContainer(_runtime, "execd");
        string pidFile = Path.Combine(c.Bundle.Path, "exec.pid");
        c.Exec("-d", "--pid-file", pidFile, c.Id, "sleep", "300").EnsureSuccess("exec -d");
        int pid = int.Parse(File.ReadAllText(pidFile));
        Assert.Equal(new FileInfo($"/proc/{c.Pid}/ns/pid").LinkTarget, new FileInfo($"/proc/{pid}/ns/pid").LinkTarget);
        var pids = JsonDocument.Parse(_runtime.Invoke("ps", "-f", "json", c.Id).EnsureSuccess("ps").Stdout).RootElement;
        Assert.Contains(pid, pids.EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Exec_takes_a_process_json()
    {
        using var c = new RunningContainer(_runtime, "execp");
        var process = new Process
        {
            Args = ["sh", "-c", "echo $X; id -u; pwd"],
            Env = ["PATH=/bin:/usr/bin", "X=from-json"],
            Cwd = "/etc",
            User = new User { Uid = 2, Gid = 2 },
        };
        string file = Path.Combine(c.Bundle.Path, "process.json");
        File.WriteAllBytes(file, OciJson.WriteIndented(process));
        var result = c.Exec("--process", file, c.Id);
        result.EnsureSuccess("exec --process");
        Assert.Equal("from-json\n2\n/etc\n", result.Stdout);
    }

    [Fact]
    public void Exec_into_a_stopped_container_or_of_a_missing_program_fails_clearly()
    {
        using var c = new RunningContainer(_runtime, "execbad");
        var missing = c.Exec(c.Id, "no-such-program");
        Assert.Equal(255, missing.ExitCode); // runc's status for an exec that could not run its process
        Assert.Contains("executable file not found in $PATH", missing.Stderr);

        // --cgroup (a sub-cgroup to join) is refused, not ignored: the process does not run.
        var cgroup = c.Exec("--cgroup", "sub", c.Id, "touch", "/tmp/ran");
        Assert.Equal(255, cgroup.ExitCode);
        Assert.Contains("--cgroup sub: joining a sub-cgroup on exec is not supported", cgroup.Stderr);
        Assert.NotEqual(0, c.Exec(c.Id, "test", "-e", "/tmp/ran").ExitCode);

        _runtime.Invoke("kill", c.Id, "KILL").EnsureSuccess("kill");
        LifecycleTests.WaitFor(() => c.Status == "stopped", "stop");
        var stopped = c.Exec(c.Id, "true");
        Assert.Equal(255, stopped.ExitCode);
        Assert.Contains("cannot exec in a stopped container", stopped.Stderr);
    }

    public void Dispose() => _runtime.Dispose();
}
