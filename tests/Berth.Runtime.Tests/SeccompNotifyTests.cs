using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>SCMP_ACT_NOTIFY: the notify fd reaches linux.seccomp.listenerPath and the agent decides the syscall.</summary>
public sealed class SeccompNotifyTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_listener_gets_the_fd_and_answers_for_the_container(bool noNewPrivileges)
    {
        using var agent = new SeccompAgent(errno: 13 /* EACCES */);
        using var bundle = Bundle.Create("notify", "sh", "-c", "mkdir /tmp/x 2>&1; echo rc=$?");
        bundle.Configure(s =>
        {
            s.Root!.Readonly = false;
            s.Process!.NoNewPrivileges = noNewPrivileges;
            s.Linux!.Seccomp = new LinuxSeccomp
            {
                DefaultAction = "SCMP_ACT_ALLOW",
                ListenerPath = agent.Path,
                ListenerMetadata = "from-the-test",
                Syscalls = [new LinuxSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_NOTIFY" }],
            };
        });
        var result = _runtime.Run(bundle);
        result.EnsureSuccess("run with a notify profile");
        Assert.Contains("Permission denied", result.Stdout);
        Assert.Contains("rc=1", result.Stdout);
        Assert.NotEmpty(agent.Syscalls);
        var state = JsonDocument.Parse(agent.State!).RootElement;
        Assert.Equal("seccompFd", state.GetProperty("fds")[0].GetString());
        Assert.Equal("from-the-test", state.GetProperty("metadata").GetString());
        Assert.True(state.GetProperty("pid").GetInt32() > 0);
        Assert.Equal("creating", state.GetProperty("state").GetProperty("status").GetString());
    }

    [Fact]
    public void Notify_without_a_listener_path_is_refused_before_anything_is_made()
    {
        using var bundle = Bundle.Create("notifybad", "true");
        bundle.Configure(s => s.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["mkdir"], Action = "SCMP_ACT_NOTIFY" }],
        });
        var result = _runtime.Run(bundle);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("listenerPath", result.Errors);
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    public void Dispose() => _runtime.Dispose();
}
