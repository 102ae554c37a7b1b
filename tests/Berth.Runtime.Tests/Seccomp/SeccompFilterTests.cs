using Berth.Oci.Runtime;
using Berth.Runtime.Seccomp;
using Xunit;
using static Berth.Runtime.Tests.Seccomp.TestLibc;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>Profiles loaded for real, each into a thread of its own, then probed with syscalls from that thread.</summary>
public class SeccompFilterTests
{
    static LinuxSeccomp AllowAllBut(params LinuxSyscall[] rules) => new() { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = [.. rules] };

    static LinuxSeccompArg Arg(uint index, string op, ulong value) => new() { Index = index, Op = op, Value = value };

    [Fact]
    public void DeniedSyscallFailsWithTheConfiguredErrnoAndOthersWork()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["getpid"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 42 });

        var (getpidResult, getppidResult) = FilteredThread.Run(() => SeccompFilter.Load(profile), () => (Call(getpid), Call(getppid)));

        Assert.Equal((-1, 42), getpidResult);
        Assert.True(getppidResult.Result > 0);
        Assert.Equal(Environment.ProcessId, getpid()); // this thread has no filter
    }

    [Fact]
    public void ErrnoDefaultsToEperm()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["socket"], Action = "SCMP_ACT_ERRNO" });

        Assert.Equal((-1, 1), FilteredThread.Run(() => SeccompFilter.Load(profile), () => Socket(AF_UNIX)));
    }

    [Fact]
    public void ArgumentConditionsSelectTheCallsTheRuleApplies()
    {
        var profile = AllowAllBut(
            new LinuxSyscall { Names = ["personality"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 42, Args = [Arg(0, "SCMP_CMP_EQ", 0x12345)] },
            new LinuxSyscall { Names = ["socket"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 97, Args = [Arg(0, "SCMP_CMP_EQ", AF_INET)] });

        var results = FilteredThread.Run(() => SeccompFilter.Load(profile), () => new[]
        {
            ErrnoOf(Call(() => personality(0x12345))),
            ErrnoOf(Call(() => personality(0xffffffff))), // query only
            ErrnoOf(Socket(AF_INET)),
            ErrnoOf(Socket(AF_UNIX)),
        });

        Assert.Equal([42, 0, 97, 0], results);
    }

    [Fact]
    public void ConditionsOnOneArgumentAreAlternatives()
    {
        // Two conditions on arg 0 cannot both hold: runc adds them as two rules, so either denies.
        var profile = AllowAllBut(new LinuxSyscall
        {
            Names = ["socket"],
            Action = "SCMP_ACT_ERRNO",
            ErrnoRet = 97,
            Args = [Arg(0, "SCMP_CMP_EQ", AF_INET), Arg(0, "SCMP_CMP_EQ", AF_INET6)],
        });

        var results = FilteredThread.Run(() => SeccompFilter.Load(profile), () => new[] { ErrnoOf(Socket(AF_INET)), ErrnoOf(Socket(AF_INET6)), ErrnoOf(Socket(AF_UNIX)) });

        Assert.Equal([97, 97, 0], results);
    }

    [Fact]
    public void UnknownSyscallNamesAreSkipped()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["berth_not_a_syscall", "getpid", "s390_runtime_instr"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 42 });

        SeccompFilter.Validate(profile);
        Assert.Equal((-1, 42), FilteredThread.Run(() => SeccompFilter.Load(profile), () => Call(getpid)));
    }

    [Fact]
    public void ValidateBuildsTheFilterWithoutLoadingIt()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["getpid"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 42 });
        profile.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"];

        FilteredThread.Run(() => SeccompFilter.Validate(profile), () => 0);
        Assert.Equal(0, ErrnoOf(FilteredThread.Run(() => SeccompFilter.Validate(profile), () => Call(getpid))));
    }

    [Fact]
    public void ValidateReportsBadNamesByField()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["read"], Action = "SCMP_ACT_ERRNO" }, new LinuxSyscall { Names = ["write"], Action = "SCMP_ACT_FOO" });

        var e = Assert.Throws<RuntimeError>(() => SeccompFilter.Validate(profile));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"", e.Message);
    }

    [Fact]
    public void ValidateReportsWhatLibseccompRefuses()
    {
        // A big-endian architecture cannot join a little-endian filter.
        var profile = AllowAllBut(new LinuxSyscall { Names = ["getpid"], Action = "SCMP_ACT_ERRNO" });
        profile.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_S390X"];

        var e = Assert.Throws<RuntimeError>(() => SeccompFilter.Validate(profile));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("linux.seccomp.architectures[1]: add architecture SCMP_ARCH_S390X: numerical argument out of domain", e.Message);
    }

    [Fact]
    public void NotifyIsRefusedUnlessTheCallerCanDeliverTheFd()
    {
        var profile = AllowAllBut(new LinuxSyscall { Names = ["getppid"], Action = "SCMP_ACT_NOTIFY" });
        profile.ListenerPath = "/run/berth-test-agent.sock";

        Assert.Equal(ErrorKind.Unsupported, Assert.Throws<RuntimeError>(() => SeccompFilter.Validate(profile)).Kind);
        Assert.Equal(ErrorKind.Unsupported, Assert.Throws<RuntimeError>(() => SeccompFilter.Load(profile)).Kind);
        SeccompFilter.Validate(profile, canDeliverNotifyFd: true);
    }

    [Fact]
    public void LoadAndTakeNotifyFdReturnsTheListenerFdOnlyForNotifyProfiles()
    {
        var notify = AllowAllBut(new LinuxSyscall { Names = ["getppid"], Action = "SCMP_ACT_NOTIFY" });
        notify.ListenerPath = "/run/berth-test-agent.sock";
        var plain = AllowAllBut(new LinuxSyscall { Names = ["getppid"], Action = "SCMP_ACT_ERRNO" });

        using var fd = FilteredThread.Run(() => { }, () => SeccompFilter.LoadAndTakeNotifyFd(notify));
        var none = FilteredThread.Run(() => { }, () => SeccompFilter.LoadAndTakeNotifyFd(plain));

        Assert.NotNull(fd);
        Assert.Equal("anon_inode:seccomp notify", Describe(fd));
        Assert.Null(none);
    }

    [Fact]
    public void AnEmptyProfileLoadsNothing()
    {
        Assert.Equal(0, ErrnoOf(FilteredThread.Run(() => SeccompFilter.Load(new LinuxSeccomp()), () => Call(getpid))));
    }
}
