using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// Docker's default seccomp profile, <c>--security-opt seccomp=unconfined|profile.json</c>,
/// <c>--privileged</c>, <c>--cap-add</c> against the profile's capability rules, and no-new-privileges,
/// through the docker CLI. <c>Seccomp: 2</c> in /proc/self/status is a filter in force.
/// </summary>
public sealed class SecurityTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    string SeccompMode(params string[] options)
        => _d.Cli(["run", "--rm", .. options, Image, "sh", "-c", "grep ^Seccomp: /proc/self/status | tr -d '\\t'"]).EnsureSuccess("docker run").Stdout.Trim();

    [Fact]
    public void A_working_directory_through_an_image_symlink_stays_in_the_container()
    {
        // The image's /work points at an absolute path that exists on the host too: followed on the host, the
        // daemon would make <host>/sub as root; followed in the container's root, as Docker does, it makes it there.
        string host = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("workdir-host"))).FullName;
        string maker = TestIds.New("workdir-mk"), image = TestIds.New("workdir-img") + ":v1";
        try
        {
            _d.Cli("run", "--name", maker, "--network", "none", Image, "sh", "-c", $"mkdir -p {host} && ln -s {host} /work").EnsureSuccess("docker run (symlink)");
            _d.Cli("commit", "--change", "WORKDIR /work/sub", maker, image).EnsureSuccess("docker commit");
            _d.Cli("run", "--rm", "--network", "none", image, "test", "-d", "/work/sub").EnsureSuccess("docker run (working directory made in the container)");
            Assert.False(Directory.Exists(Path.Combine(host, "sub")), "the working directory was made on the host");
        }
        finally
        {
            _d.Cli("rm", "-f", maker);
            _d.Cli("rmi", "-f", image);
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public void A_container_runs_under_the_default_filter_and_unconfined_or_privileged_under_none()
    {
        Assert.Equal("Seccomp:2", SeccompMode());
        Assert.Equal("Seccomp:0", SeccompMode("--security-opt", "seccomp=unconfined"));
        Assert.Equal("Seccomp:0", SeccompMode("--privileged"));
        Assert.Equal("Seccomp:2", SeccompMode("--security-opt", "seccomp=builtin"));
    }

    [Fact]
    public void A_privileged_container_gets_every_capability_the_daemon_holds()
    {
        // Not every capability the kernel knows: capset fails for one outside the bounding set of whoever
        // starts the container (some machines run without CAP_SYS_RESOURCE), so those are left out, as containerd does.
        string host = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal)).Split('\t')[1];
        string container = _d.Cli("run", "--rm", "--privileged", Image, "sh", "-c", "grep ^CapEff: /proc/self/status | cut -f2")
            .EnsureSuccess("docker run --privileged").Stdout.Trim();
        Assert.Equal(host, container);
    }

    [Fact]
    public void The_default_profile_refuses_what_it_does_not_list_with_EPERM()
    {
        // A user namespace needs no capability, so only the filter refuses it.
        var confined = _d.Cli("run", "--rm", Image, "unshare", "-U", "true");
        Assert.Equal(1, confined.ExitCode);
        Assert.Contains("Operation not permitted", confined.Stderr);
        var unconfined = _d.Cli("run", "--rm", "--security-opt", "seccomp=unconfined", Image, "unshare", "-U", "true");
        Assert.Equal(0, unconfined.ExitCode);
    }

    [Fact]
    public void Cap_add_brings_the_syscalls_the_profile_gates_on_that_capability()
    {
        Assert.NotEqual(0, _d.Cli("run", "--rm", Image, "unshare", "-m", "true").ExitCode);
        // With CAP_SYS_ADMIN and the profile's rules for it, unshare and mount pass the filter.
        _d.Cli("run", "--rm", "--cap-add", "SYS_ADMIN", Image, "sh", "-c", "unshare -m true && mount -t tmpfs none /tmp")
            .EnsureSuccess("unshare and mount with CAP_SYS_ADMIN");
        Assert.Equal("Seccomp:2", SeccompMode("--cap-add", "SYS_ADMIN"));
    }

    [Fact]
    public void A_profile_file_is_sent_by_the_cli_and_applied()
    {
        string profile = _d.PathOf("no-mkdir.json");
        File.WriteAllText(profile, """
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ]
            }
            """);
        var run = _d.Cli("run", "--name", "compat-seccomp-file", "--security-opt", "seccomp=" + profile, Image, "mkdir", "/tmp/x");
        try
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Operation not permitted", run.Stderr);
            // The daemon got the file's content, compacted, not its path.
            string securityOpt = _d.Inspect("compat-seccomp-file", "{{json .HostConfig.SecurityOpt}}");
            Assert.Contains("seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ALLOW\\\"", securityOpt);
        }
        finally
        {
            _d.Cli("rm", "-f", "compat-seccomp-file");
        }
        _d.Cli("run", "--rm", "--security-opt", "seccomp=unconfined", Image, "mkdir", "/tmp/x").EnsureSuccess("mkdir without the profile");
    }

    [Fact]
    public void No_new_privileges_reaches_the_process()
    {
        string NoNewPrivs(params string[] options)
            => _d.Cli(["run", "--rm", .. options, Image, "sh", "-c", "grep ^NoNewPrivs: /proc/self/status | tr -d '\\t'"]).EnsureSuccess("docker run").Stdout.Trim();
        Assert.Equal("NoNewPrivs:0", NoNewPrivs());
        Assert.Equal("NoNewPrivs:1", NoNewPrivs("--security-opt", "no-new-privileges"));
        Assert.Equal("NoNewPrivs:1", NoNewPrivs("--security-opt", "no-new-privileges=true"));
        Assert.Equal("NoNewPrivs:0", NoNewPrivs("--security-opt", "no-new-privileges=false"));
    }

    [Fact]
    public void Writable_cgroups_lets_the_container_make_cgroups_below_its_own_which_go_with_it()
    {
        // The container's own cgroup as it sees it: the cgroup2 root (cgroup namespace) or, on v1, the pids hierarchy's bind.
        const string MakeChild = "if [ \"$(stat -f -c %t /sys/fs/cgroup)\" = 63677270 ]; then d=/sys/fs/cgroup; else d=/sys/fs/cgroup/pids; fi; "
            + "mkdir $d/child && echo $$ > $d/child/cgroup.procs && echo made";
        var readOnly = _d.Cli("run", "--rm", Image, "sh", "-c", MakeChild);
        Assert.Equal(1, readOnly.ExitCode);
        Assert.Contains("Read-only file system", readOnly.Stderr);
        Assert.Equal(1, _d.Cli("run", "--rm", "--security-opt", "writable-cgroups=false", Image, "sh", "-c", MakeChild).ExitCode);

        string name = TestIds.New("cgroups-rw");
        try
        {
            string id = _d.Cli("run", "-d", "--name", name, "--security-opt", "writable-cgroups=true", Image, "sh", "-c", MakeChild + " && exec sleep 300")
                .EnsureSuccess("docker run -d --security-opt writable-cgroups=true").Stdout.Trim();
            Wait.Until(() => _d.Cli("logs", name).Stdout.Contains("made"), "the container made its child cgroup");
            string own = Path.Combine(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/pids", _d.CgroupParent.TrimStart('/'), id);
            Assert.True(Directory.Exists(Path.Combine(own, "child")), $"no child cgroup in {own}");
            Assert.Equal("[writable-cgroups=true]", _d.Cli("inspect", "--format", "{{.HostConfig.SecurityOpt}}", name).Stdout.Trim());
            _d.Cli("rm", "-f", name).EnsureSuccess("docker rm -f");
            Assert.False(Directory.Exists(own), $"{own} outlived the container");
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Theory]
    [InlineData("writable-cgroups=potato", "docker: Error response from daemon: invalid --security-opt 2: \"writable-cgroups=potato\"")]
    [InlineData("foo=bar", "docker: Error response from daemon: invalid --security-opt 2: \"foo=bar\"")]
    [InlineData("no-new-privileges=maybe", "docker: Error response from daemon: invalid --security-opt 2: \"no-new-privileges=maybe\"")]
    public void An_unknown_option_is_docker_s_error_and_creates_nothing(string option, string message)
    {
        string name = TestIds.New("secopt");
        var run = _d.Cli("run", "--name", name, "--security-opt", option, Image, "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain(name, _d.Cli("ps", "-a", "--format", "{{.Names}}").Stdout);
    }

    [Theory]
    [InlineData("""{"defaultAction": 5}""", "Decoding seccomp profile failed: json: cannot unmarshal number 5 into Go struct field")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}""",
        "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'")]
    public void A_bad_profile_is_docker_s_error_and_creates_nothing(string json, string message)
    {
        string name = TestIds.New("seccomp");
        string profile = _d.PathOf(name + ".json");
        File.WriteAllText(profile, json);
        var run = _d.Cli("run", "--name", name, "--security-opt", "seccomp=" + profile, Image, "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("docker: Error response from daemon: " + message, run.Stderr);
        Assert.DoesNotContain(name, _d.Cli("ps", "-a", "--format", "{{.Names}}").Stdout);
    }

    [Fact]
    public void Info_lists_the_builtin_seccomp_profile_as_docker_does()
    {
        string options = _d.Cli("info", "--format", "{{json .SecurityOptions}}").EnsureSuccess("docker info").Stdout.Trim();
        Assert.StartsWith("[\"name=seccomp,profile=builtin\"", options);
        Assert.Contains(" seccomp\n   Profile: builtin\n", _d.Cli("info").EnsureSuccess("docker info").Stdout);
    }

    [Fact]
    public void The_daemon_s_seccomp_profile_option_applies_to_containers_that_name_none()
    {
        using var daemon = new BerthDaemon(["--seccomp-profile", "unconfined"]);
        var run = daemon.Cli("run", "--rm", Image, "sh", "-c", "grep ^Seccomp: /proc/self/status | tr -d '\\t'").EnsureSuccess("docker run");
        Assert.Equal("Seccomp:0", run.Stdout.Trim());
        var builtin = daemon.Cli("run", "--rm", "--security-opt", "seccomp=builtin", Image, "sh", "-c", "grep ^Seccomp: /proc/self/status | tr -d '\\t'");
        Assert.Equal("Seccomp:2", builtin.EnsureSuccess("docker run seccomp=builtin").Stdout.Trim());
        var info = daemon.Cli("info", "--format", "{{json .SecurityOptions}} {{json .Warnings}}").EnsureSuccess("docker info").Stdout;
        Assert.Contains("\"name=seccomp,profile=unconfined\"", info);
        Assert.Contains("WARNING: daemon is not using the default seccomp profile", info);
    }
}
