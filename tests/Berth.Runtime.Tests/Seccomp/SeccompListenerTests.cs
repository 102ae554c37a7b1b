using System.Net.Sockets;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Seccomp;
using Microsoft.Win32.SafeHandles;
using Xunit;
using static Berth.Runtime.Tests.Seccomp.TestLibc;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>The notify fd and the container process state reach the agent at listenerPath, as runc sends them.</summary>
public sealed class SeccompListenerTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("berth-seccomp-listener-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task TheAgentReceivesTheStateAndTheFd()
    {
        string path = Path.Combine(dir, "agent.sock");
        using var agent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        agent.Bind(new UnixDomainSocketEndPoint(path));
        agent.Listen(1);
        var seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = path,
            ListenerMetadata = "berth-test",
            Syscalls = [new LinuxSyscall { Names = ["getppid"], Action = "SCMP_ACT_NOTIFY" }],
        };
        using var notifyFd = FilteredThread.Run(() => { }, () => SeccompFilter.LoadAndTakeNotifyFd(seccomp))!;
        var state = new HookState { OciVersion = "1.2.0", Id = "berth-seccomp-test", Status = ContainerStatus.Creating, Pid = 4242, Bundle = dir };

        var accepting = agent.AcceptAsync();
        SeccompListener.Send(seccomp, notifyFd, state);
        using var connection = await accepting.WaitAsync(TimeSpan.FromSeconds(30));
        var (payload, fds) = UnixSockets.ReceiveFds(new SafeFileHandle(connection.Handle, ownsHandle: false));

        using var received = Assert.Single(fds);
        Assert.Equal("anon_inode:seccomp notify", Describe(received));
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        Assert.Equal(["seccompFd"], root.GetProperty("fds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4242, root.GetProperty("pid").GetInt32());
        Assert.Equal("berth-test", root.GetProperty("metadata").GetString());
        Assert.Equal("berth-seccomp-test", root.GetProperty("state").GetProperty("id").GetString());
        Assert.Equal("creating", root.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(RuntimeInfo.OciVersion, root.GetProperty("ociVersion").GetString());
    }

    [Fact]
    public void AMissingListenerIsAnErrorNamingThePath()
    {
        var seccomp = new LinuxSeccomp { ListenerPath = Path.Combine(dir, "nobody.sock") };
        var (read, write) = Files.Pipe();
        using (read)
        using (write)
        {
            var e = Assert.Throws<RuntimeError>(() => SeccompListener.Send(seccomp, read, new HookState()));
            Assert.StartsWith($"linux.seccomp.listenerPath: send the seccomp notify fd to {seccomp.ListenerPath}: ", e.Message);
        }
    }
}
