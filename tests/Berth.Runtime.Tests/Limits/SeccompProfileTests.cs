using System.Text;
using Berth.Oci;
using Berth.Runtime.Tests.Comparison;
using Berth.Runtime.Tests.Seccomp;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Limits;

/// <summary>linux.seccomp through the runtime CLI, checked from inside the container.</summary>
public sealed class SeccompProfileTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Errno_actions_fail_the_syscalls_with_their_errno(bool noNewPrivileges)
    {
        // mkdir: SCMP_ACT_ERRNO with errnoRet 1 (EPERM); symlink: errnoRet 28 (ENOSPC). Without
        // no_new_privs the filter is loaded while init still has CAP_SYS_ADMIN.
        string output = Run("grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; mkdir /tmp/x 2>&1; ln -s a /tmp/l 2>&1; touch /tmp/f && ls /tmp", s =>
        {
            s.Root!.Readonly = false;
            s.Process!.NoNewPrivileges = noNewPrivileges;
            s.Linux!.Seccomp = RunProbes.ErrnoProfile();
        });
        Assert.Equal(noNewPrivileges ? "1" : "0", RunProbes.Field(output, "NoNewPrivs"));
        Assert.Equal("2", RunProbes.Field(output, "Seccomp"));
        Assert.Contains("mkdir: can't create directory '/tmp/x': Operation not permitted", output);
        Assert.Contains("ln: /tmp/l: No space left on device", output);
        Assert.EndsWith("f\n", output); // other syscalls are allowed, and nothing was made
    }

    [Fact]
    public void Dockers_default_profile_lets_busybox_run_and_denies_what_it_leaves_out()
    {
        var seccomp = OciJson.ReadSpec(Encoding.UTF8.GetBytes(DockerDefaultProfile.ConfigJson)).Linux!.Seccomp;
        string output = Run(
            "grep '^Seccomp:' /proc/self/status; ls / > /dev/null && echo ls; echo data > /tmp/f && cat /tmp/f; " +
            "ps > /dev/null && echo ps; (exit 3); echo subshell $?; sleep 0.01 && echo sleep; " +
            "unshare -U true 2>&1 || true; mount -t tmpfs none /mnt 2>&1 || true",
            s =>
            {
                s.Root!.Readonly = false;
                s.Linux!.Seccomp = seccomp;
            });
        Assert.StartsWith("Seccomp:\t2\nls\ndata\nps\nsubshell 3\nsleep\n", output);
        // unshare and mount are not in the allow list: the default action, EPERM.
        Assert.Contains("unshare: unshare(0x10000000): Operation not permitted", output);
        Assert.Contains("mount: permission denied", output);
    }

    [Fact]
    public void A_profile_is_compiled_once_per_runtime_root_and_reused()
    {
        string script = "mkdir /tmp/x 2>&1; echo done";
        Action<Oci.Runtime.RuntimeSpec> configure = s =>
        {
            s.Root!.Readonly = false;
            s.Linux!.Seccomp = RunProbes.ErrnoProfile();
        };
        Assert.Contains("Operation not permitted", Run(script, configure));
        string entry = Assert.Single(Directory.GetFiles(Path.Combine(_runtime.Root, "@seccomp"), "*.bpf"));
        var written = File.GetLastWriteTimeUtc(entry);

        Assert.Contains("Operation not permitted", Run(script, configure));
        Assert.Equal(entry, Assert.Single(Directory.GetFiles(Path.Combine(_runtime.Root, "@seccomp"), "*.bpf")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
        // The cache is no container: list does not show it.
        Assert.DoesNotContain("@seccomp", _runtime.Invoke("list").EnsureSuccess("list").Stdout);
    }

    string Run(string script, Action<Oci.Runtime.RuntimeSpec> configure)
    {
        using var bundle = Bundle.Create("seccomp", "sh", "-c", script);
        bundle.Configure(configure);
        return _runtime.Run(bundle).EnsureSuccess($"run of: {script}").Stdout;
    }

    public void Dispose() => _runtime.Dispose();
}
