using Berth.Linux.Seccomp;
using Microsoft.Win32.SafeHandles;
using Xunit;
using static Berth.Linux.Tests.Seccomp.TestLibc;

namespace Berth.Linux.Tests.Seccomp;

/// <summary>Filters built with libseccomp and loaded for real, each into a thread of its own.</summary>
public class SeccompContextTests
{
    static int Nr(string name) => SeccompSyscalls.Resolve(name) ?? throw new InvalidOperationException($"no syscall {name}");

    [Fact]
    public void ErrnoRuleFailsTheSyscallWithTheErrnoInTheFilteredThreadOnly()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);
        filter.AddRule(SeccompAction.Errno(42), Nr("getpid"), []);

        var (denied, allowed) = FilteredThread.Run(filter, () => (Call(getpid), Call(getppid)));

        Assert.Equal((-1, 42), denied);
        Assert.True(allowed.Result > 0);
        Assert.Equal(Environment.ProcessId, getpid());
    }

    [Fact]
    public void ConditionsOfOneRuleMustAllHold()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);
        filter.AddRule(SeccompAction.Errno(13), Nr("socket"),
            [new SeccompCondition(0, SeccompCompare.Equal, AF_INET), new SeccompCondition(1, SeccompCompare.MaskedEqual, 0xf, SOCK_DGRAM)]);

        var (udp, tcp, unixDgram) = FilteredThread.Run(filter, () => (Socket(AF_INET, SOCK_DGRAM), Socket(AF_INET, SOCK_STREAM), Socket(AF_UNIX, SOCK_DGRAM)));

        Assert.Equal((-1, 13), udp);
        Assert.True(tcp.Result >= 0, $"tcp errno {tcp.Errno}");
        Assert.True(unixDgram.Result >= 0, $"unix errno {unixDgram.Errno}");
    }

    [Fact]
    public async Task NotifyRuleHandsTheSyscallToTheListener()
    {
        var timeout = TimeSpan.FromSeconds(30);
        using var filter = SeccompContext.Create(SeccompAction.Allow);
        filter.AddRule(SeccompAction.Notify, Nr("getppid"), []);
        var listener = new TaskCompletionSource<SafeFileHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = FilteredThread.Start(() =>
        {
            filter.Load();
            listener.SetResult(filter.TakeNotifyFd() ?? throw new InvalidOperationException("no notify fd"));
        }, () => Call(getppid));
        using var fd = await listener.Task.WaitAsync(timeout);
        Assert.Equal("anon_inode:seccomp notify", Describe(fd));

        var request = SeccompNotifyAgent.Receive(fd, timeout);
        Assert.Equal(Nr("getppid"), request.Syscall);
        SeccompNotifyAgent.Fail(fd, request.Id, 77);

        Assert.Equal((-1, 77), await caller.WaitAsync(timeout));
    }

    [Fact]
    public void ExportBpfWritesAProgramThatChecksTheArchitectureFirst()
    {
        using var filter = SeccompContext.Create(SeccompAction.Errno(1));
        filter.AddArchitecture(SeccompArch.Resolve("x86")!.Value);
        filter.AddRule(SeccompAction.Allow, Nr("read"), []);

        byte[] program = filter.ExportBpf();

        Assert.NotEmpty(program);
        Assert.Equal(0, program.Length % 8); // struct sock_filter { u16 code; u8 jt, jf; u32 k; }
        Assert.Equal(0x20, BitConverter.ToUInt16(program, 0)); // BPF_LD | BPF_W | BPF_ABS
        Assert.Equal(4u, BitConverter.ToUInt32(program, 4)); // offsetof(struct seccomp_data, arch)
    }

    [Fact]
    public void AnArgumentBeyondTheSixthIsRefusedWithItsErrno()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);

        var e = Assert.Throws<LinuxException>(() => filter.AddRule(SeccompAction.Errno(1), Nr("read"), [new SeccompCondition(6, SeccompCompare.Equal, 0)], "read"));

        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.StartsWith("seccomp_rule_add read: ", e.Message);
    }

    [Fact]
    public void ARuleWithTheDefaultActionIsRefused()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);

        var e = Assert.Throws<LinuxException>(() => filter.AddRule(SeccompAction.Allow, Nr("read"), []));

        Assert.Equal(Errno.EACCES, e.Errno);
    }

    [Fact]
    public void ArchitecturesAreAddedOnce()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);

        Assert.False(filter.AddArchitecture(SeccompArch.Native));
        Assert.True(filter.AddArchitecture(SeccompArch.Resolve("x32")!.Value));
        Assert.False(filter.AddArchitecture(SeccompArch.Resolve("x32")!.Value));
    }

    [Fact]
    public void AttributesCanBeSetAndRead()
    {
        using var filter = SeccompContext.Create(SeccompAction.Allow);
        Assert.Equal(1u, filter.GetAttribute(SeccompAttribute.NoNewPrivileges));

        filter.SetAttribute(SeccompAttribute.NoNewPrivileges, 0);
        filter.SetAttribute(SeccompAttribute.Optimize, 2);

        Assert.Equal(0u, filter.GetAttribute(SeccompAttribute.NoNewPrivileges));
        Assert.Equal(2u, filter.GetAttribute(SeccompAttribute.Optimize));
        Assert.Equal(SeccompAction.Allow, filter.GetAttribute(SeccompAttribute.DefaultAction));
        var e = Assert.Throws<LinuxException>(() => filter.SetAttribute(SeccompAttribute.DefaultAction, 0));
        Assert.Equal(Errno.EACCES, e.Errno);
    }
}
