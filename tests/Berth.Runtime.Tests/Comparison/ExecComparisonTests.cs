using System.Text.RegularExpressions;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Comparison;

/// <summary>`exec` into a running container, done the same way with berth-runtime, runc and crun.</summary>
public sealed partial class ExecComparisonTests : IDisposable
{
    readonly Peers _peers = new();

    const string View =
        "id; pwd; env | sort; umask; grep -E '^(Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|SigBlk|SigIgn):' /proc/self/status; " +
        "echo nofile hard $(ulimit -Hn); hostname; cat /proc/self/cgroup; cat /proc/self/oom_score_adj; " +
        "for n in cgroup ipc mnt net pid uts; do [ \"$(readlink /proc/self/ns/$n)\" = \"$(readlink /proc/1/ns/$n)\" ] && echo \"$n: init's\"; done; " +
        "[ \"$(cut -d' ' -f6 /proc/self/stat)\" = $$ ] && echo session leader; exit 3";

    /// <summary>The container's process: a cwd, an environment, an rlimit, no_new_privs, a hostname.</summary>
    static void Configure(RuntimeSpec s)
    {
        s.Hostname = "exec-probe";
        s.Process!.Cwd = "/tmp";
        s.Process.Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "FOO=from the spec"];
        s.Process.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 1024 }];
        s.Process.OomScoreAdj = 100;
    }

    // crun 1.8's exec starts in / instead of process.cwd and does not apply the container's
    // rlimits and noNewPrivileges to the new process (and, as uid 1000, cannot find sh); runc does,
    // and so does berth: the exec'd process is the container's process with the overrides given.
    const string CrunExec = "crun's exec ignores the container's cwd, rlimits and no_new_privs";

    [Theory]
    [InlineData("the container's process")]
    [InlineData("another user, environment and cwd", "-u", "1000:1000", "-e", "FOO=overridden", "-e", "BAR=1", "--cwd", "/", "-g", "5")]
    [InlineData("an extra capability", "--cap", "CAP_NET_RAW")]
    public void An_execd_process_sees_what_it_sees_under_runc(string what, params string[] flags)
    {
        string berthSoftNofile = "";
        var seen = _peers.Each(runtime =>
        {
            using var c = new RunningContainer(runtime, "exec", Configure);
            var result = c.Exec([.. flags, c.Id, "sh", "-c", View]);
            string text = result.Stdout + $"exit={result.ExitCode}\n";
            if (runtime == _peers.Berth)
                berthSoftNofile = c.Exec([.. flags, c.Id, "sh", "-c", "ulimit -n"]).Stdout.Trim();
            // The container's cgroup is named after the id by each runtime in its own way (berth/<id>).
            return OwnCgroup().Replace(text.Replace(c.Id, "<id>"), ":<container>");
        });
        seen.AssertBerthAgreesWithRunc($"exec: {what}", CrunExec);
        Assert.Contains("exit=3", seen.Berth);
        if (!flags.Contains("-u"))
            Assert.Contains("pid: init's", seen.Berth); // a non-root exec may not read init's /proc/1/ns
        // The soft RLIMIT_NOFILE of an exec'd process is not compared: runc 1.1.5 sets the spec's
        // limits on its `runc init` child while that child's Go runtime (Go >= 1.19) raises the soft
        // limit to the hard one, so the process gets 512 or 1024 depending on which comes first (a
        // runc bug). Berth sets them in the process itself, so it always has the spec's.
        Assert.Equal("512", berthSoftNofile);
    }

    [Theory]
    [InlineData("a process that exits 3", null, "sh", "-c", "exit 3")]
    [InlineData("a program that does not exist", null, "no-such-program")]
    [InlineData("a stopped container", "runc's exec exits 255 when it cannot run the process; crun's 1", "true")]
    public void The_exit_status_of_exec_is_runcs(string what, string? whyPeersDiffer, params string[] command)
    {
        var seen = _peers.Each(runtime =>
        {
            using var c = new RunningContainer(runtime, "execstatus");
            if (what == "a stopped container")
            {
                runtime.Invoke("kill", c.Id, "KILL").EnsureSuccess($"{runtime.Name} kill");
                LifecycleTests.WaitFor(() => c.Status == "stopped", $"{runtime.Name}: {c.Id} stopped");
            }
            return $"exit={c.Exec([c.Id, .. command]).ExitCode}";
        });
        seen.AssertBerthAgreesWithRunc($"exec of {what}", whyPeersDiffer);
    }

    [GeneratedRegex(@":/[^\n]*<id>(?=\n)")]
    private static partial Regex OwnCgroup();

    public void Dispose() => _peers.Dispose();
}
