using Berth.Oci.Runtime;

namespace Berth.Runtime.Tests.Comparison;

internal static partial class RunProbes
{
    const string StatusLines = "grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status";

    /// <summary>The process: user, groups, capabilities, rlimits, umask, cwd, environment, exit status.</summary>
    static IEnumerable<RunProbe> Process()
    {
        yield return new("identity and security state of the default spec",
            $"id; {StatusLines}; umask; pwd; env | sort")
        {
            Sanity = o => Assert.Equal("0000000020000420", Field(o, "CapBnd")),
        };

        yield return new("a user with additional groups, a umask and no passwd entry",
            $"id; {StatusLines}; umask; echo HOME=$HOME")
        {
            Spec = s => s.Process!.User = new User { Uid = 1000, Gid = 1001, AdditionalGids = [5, 1002], Umask = Convert.ToUInt32("027", 8) },
            // runc sets HOME to "/" when /etc/passwd has no entry for the uid (Go's user lookup
            // default); crun leaves it empty. Berth follows runc.
            PeersDiffer = "HOME for a uid without a passwd entry: runc \"/\", crun empty",
            FollowRunc = true,
            Sanity = o => Assert.Equal("5 1002", Field(o, "Groups")),
        };

        yield return new("five capability sets with ambient ones and no_new_privs off", StatusLines)
        {
            Spec = s =>
            {
                s.Process!.NoNewPrivileges = false;
                s.Process.Capabilities = new LinuxCapabilities
                {
                    Bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_TIME"],
                    Effective = ["CAP_CHOWN", "CAP_KILL"],
                    Permitted = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                    Inheritable = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
                    Ambient = ["CAP_NET_BIND_SERVICE"],
                };
            },
            Sanity = o => Assert.Equal("0000000000000400", Field(o, "CapAmb")),
        };

        yield return new("rlimits of the default spec", "ulimit -a; ulimit -H -a");

        yield return new("rlimits from the spec", "ulimit -a; ulimit -H -a")
        {
            Spec = s => s.Process!.Rlimits =
            [
                new Rlimit { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 1024 },
                new Rlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 },
                new Rlimit { Type = "RLIMIT_NPROC", Soft = 300, Hard = 400 },
                new Rlimit { Type = "RLIMIT_STACK", Soft = 4 << 20, Hard = 8 << 20 },
                new Rlimit { Type = "RLIMIT_MEMLOCK", Soft = 65536, Hard = 65536 },
            ],
            Sanity = o => Assert.Contains("(-n) 512", o),
        };

        yield return new("umask, working directory and environment from the spec", "umask; pwd; env | sort; cat /proc/self/oom_score_adj")
        {
            Spec = s =>
            {
                s.Process!.Cwd = "/tmp";
                s.Process.Env = ["PATH=/bin:/usr/bin", "FOO=bar baz", "EMPTY="];
                s.Process.User.Umask = Convert.ToUInt32("077", 8);
                s.Process.OomScoreAdj = 500;
            },
            Sanity = o => Assert.StartsWith("0077\n/tmp\n", o),
        };

        yield return new("a missing working directory is made", "pwd; ls -ld . | awk '{print $1, $3, $4}'")
        {
            Spec = s => s.Process!.Cwd = "/work/here",
            Sanity = o => Assert.StartsWith("/work/here\ndrwxr-xr-x", o),
        };

        yield return new("exit status", "echo before; exit 7")
        {
            Sanity = o => Assert.Contains("exit=7", o),
        };

        yield return new("a process killed by SIGTERM: 128+15", "kill -TERM $$; sleep 5")
        {
            // Without a pid namespace the shell is not an init, which would ignore the signal.
            Spec = WithoutPidNamespace,
            Sanity = o => Assert.Equal("exit=143\n", o),
        };

        yield return new("a process killed by SIGKILL: 128+9", "kill -KILL $$; sleep 5")
        {
            Spec = WithoutPidNamespace,
            Sanity = o => Assert.Equal("exit=137\n", o),
        };

        yield return new("an init ignores a SIGTERM it has no handler for", "kill -TERM $$; echo survived; exit 3")
        {
            Sanity = o => Assert.Equal("survived\nexit=3\n", o),
        };
    }

    static void WithoutPidNamespace(RuntimeSpec s) => s.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid");
}
