using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>The container process: args, env, cwd, user and groups, umask, capabilities, rlimits, no_new_privs, oom score, sysctl.</summary>
public sealed class ProcessTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void Env_cwd_and_home_are_set_as_runc_sets_them()
    {
        string output = Probe.Run(_runtime, "echo $FOO; pwd; echo $HOME", s =>
        {
            s.Process!.Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "FOO=bar baz"];
            s.Process.Cwd = "/tmp";
        });
        Assert.Equal("bar baz\n/tmp\n/root\n", output);
    }

    [Fact]
    public void User_group_and_additional_groups_apply()
    {
        string output = Probe.Run(_runtime, "id -u; id -g; id -G; cat /proc/self/status | grep -E '^(Uid|Gid|Groups)'", s =>
            s.Process!.User = new User { Uid = 1000, Gid = 1001, AdditionalGids = [5, 1002] });
        var lines = output.Split('\n');
        Assert.Equal("1000", lines[0]);
        Assert.Equal("1001", lines[1]);
        Assert.Equal(new[] { "1001", "1002", "5" }, lines[2].Split(' ').Order().ToArray());
        Assert.Equal("1000\t1000\t1000\t1000", Probe.StatusField(output, "Uid"));
        Assert.Equal("5 1002", Probe.StatusField(output, "Groups"));
    }

    [Fact]
    public void Umask_is_applied()
    {
        Assert.Equal("0077\n", Probe.Run(_runtime, "umask", s => s.Process!.User.Umask = Convert.ToUInt32("077", 8)));
        Assert.Equal("0022\n", Probe.Run(_runtime, "umask"));
    }

    [Fact]
    public void The_five_capability_sets_are_exactly_the_specs()
    {
        string output = Probe.Run(_runtime, "grep ^Cap /proc/self/status", s => s.Process!.Capabilities = new LinuxCapabilities
        {
            Bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_TIME"],
            Effective = ["CAP_CHOWN", "CAP_KILL"],
            Permitted = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Inheritable = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Ambient = ["CAP_NET_BIND_SERVICE"],
        });
        ulong Mask(params int[] caps) => caps.Aggregate(0UL, (m, c) => m | 1UL << c);
        Assert.Equal(Mask(0, 5, 10, 25), Convert.ToUInt64(Probe.StatusField(output, "CapBnd"), 16));
        // Ambient capabilities are added to permitted and effective at execve.
        Assert.Equal(Mask(0, 5, 10), Convert.ToUInt64(Probe.StatusField(output, "CapEff"), 16));
        Assert.Equal(Mask(0, 5, 10), Convert.ToUInt64(Probe.StatusField(output, "CapPrm"), 16));
        Assert.Equal(Mask(5, 10), Convert.ToUInt64(Probe.StatusField(output, "CapInh"), 16));
        Assert.Equal(Mask(10), Convert.ToUInt64(Probe.StatusField(output, "CapAmb"), 16));
    }

    [Fact]
    public void A_capability_outside_the_set_is_really_missing()
    {
        string output = Probe.Run(_runtime, "chown 1 /tmp 2>&1 || echo denied; hostname x 2>&1 || echo denied",
            s => s.Root!.Readonly = false);
        // runc's default set has neither CAP_CHOWN nor CAP_SYS_ADMIN.
        Assert.Equal(2, output.Split('\n').Count(l => l == "denied"));
    }

    [Fact]
    public void Rlimits_apply_and_one_above_the_hosts_hard_limit_is_a_clear_error()
    {
        string output = Probe.Run(_runtime, "ulimit -n; ulimit -Hn; ulimit -c", s => s.Process!.Rlimits =
        [
            new Rlimit { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 1024 },
            new Rlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 },
        ]);
        Assert.Equal("512\n1024\n0\n", output);

        ulong hostHard = ulong.Parse(ProcessRunner.Run("/bin/sh", ["-c", "ulimit -Hn"]).Stdout.Trim());
        using var bundle = Bundle.Create("rlimit", "true");
        bundle.Configure(s => s.Process!.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = hostHard + 1000, Hard = hostHard + 1000 }]);
        var result = _runtime.Run(bundle);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("RLIMIT_NOFILE", result.Stderr);
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    [Fact]
    public void No_new_privileges_and_oom_score_adj_apply()
    {
        string output = Probe.Run(_runtime, "grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj", s =>
        {
            s.Process!.NoNewPrivileges = true;
            s.Process.OomScoreAdj = 500;
        });
        Assert.Equal("1", Probe.StatusField(output, "NoNewPrivs"));
        Assert.EndsWith("500\n", output);
        Assert.Equal("0", Probe.StatusField(Probe.Run(_runtime, "grep NoNewPrivs /proc/self/status", s => s.Process!.NoNewPrivileges = false), "NoNewPrivs"));
    }

    [Fact]
    public void Sysctls_of_the_containers_namespaces_are_written()
    {
        string output = Probe.Run(_runtime, "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax", s =>
            s.Linux!.Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1", ["kernel.msgmax"] = "12345" });
        Assert.Equal("1\n12345\n", output);
    }

    [Fact]
    public void The_process_starts_in_a_new_session_with_default_signal_dispositions()
    {
        string output = Probe.Run(_runtime, "grep -E '^(SigIgn|SigBlk)' /proc/self/status; cut -d' ' -f6 /proc/self/stat");
        Assert.Equal("0000000000000000", Probe.StatusField(output, "SigIgn"));
        Assert.Equal("0000000000000000", Probe.StatusField(output, "SigBlk"));
    }

    public void Dispose() => _runtime.Dispose();
}
