using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Berth.Runtime.Seccomp;
using Xunit;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>From the spec's <c>linux.seccomp</c> to libseccomp rules, as runc makes them, and the errors for bad profiles.</summary>
public class SeccompPlannerTests
{
    static LinuxSeccomp Profile(string defaultAction, params LinuxSyscall[] syscalls) =>
        new() { DefaultAction = defaultAction, Syscalls = [.. syscalls] };

    static LinuxSyscall Rule(string action, params string[] names) => new() { Action = action, Names = [.. names] };

    static LinuxSeccompArg Arg(uint index, string op, ulong value, ulong valueTwo = 0) => new() { Index = index, Op = op, Value = value, ValueTwo = valueTwo };

    static string Error(LinuxSeccomp profile, ErrorKind kind = ErrorKind.InvalidArgument)
    {
        var e = Assert.Throws<RuntimeError>(() => SeccompPlanner.Plan(profile));
        Assert.Equal(kind, e.Kind);
        return e.Message;
    }

    [Fact]
    public void NoDefaultActionAndNoSyscallsMeansNoFilter()
    {
        Assert.True(SeccompPlanner.Plan(new LinuxSeccomp()).IsDisabled);
        Assert.True(SeccompPlanner.Plan(new LinuxSeccomp { Architectures = ["SCMP_ARCH_X86"] }).IsDisabled);
    }

    [Fact]
    public void ActionsBecomeLibseccompValues()
    {
        var plan = SeccompPlanner.Plan(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_KILL", "a"), Rule("SCMP_ACT_KILL_THREAD", "b"), Rule("SCMP_ACT_KILL_PROCESS", "c"),
            Rule("SCMP_ACT_TRAP", "d"), Rule("SCMP_ACT_ERRNO", "e"), new LinuxSyscall { Names = ["f"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 38 },
            Rule("SCMP_ACT_TRACE", "g"), new LinuxSyscall { Names = ["h"], Action = "SCMP_ACT_TRACE", ErrnoRet = 7 },
            Rule("SCMP_ACT_LOG", "i")));

        Assert.Equal(SeccompAction.Allow, plan.DefaultAction);
        Assert.Equal(
            [SeccompAction.KillThread, SeccompAction.KillThread, SeccompAction.KillProcess, SeccompAction.Trap,
             SeccompAction.Errno(1), SeccompAction.Errno(38), SeccompAction.Trace(1), SeccompAction.Trace(7), SeccompAction.Log],
            plan.Rules.Select(r => r.Action));
        Assert.False(plan.UsesNotify);
    }

    [Fact]
    public void RulesWithTheDefaultActionAreDropped()
    {
        var plan = SeccompPlanner.Plan(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 1,
            Syscalls = [Rule("SCMP_ACT_ERRNO", "mount"), Rule("SCMP_ACT_ALLOW", "read", "write"), new LinuxSyscall { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 38 }],
        });

        Assert.Equal(["read", "write", "clone3"], plan.Rules.Select(r => r.Syscall));
        Assert.All(plan.Rules, r => Assert.Equal("linux.seccomp.syscalls[", r.Field[..23]));
    }

    [Fact]
    public void ConditionsOnDifferentArgumentsMakeOneRule()
    {
        var call = Rule("SCMP_ACT_ERRNO", "socket");
        call.Args = [Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_MASKED_EQ", 0xf, 2)];

        var rule = Assert.Single(SeccompPlanner.Plan(Profile("SCMP_ACT_ALLOW", call)).Rules);

        Assert.Equal([new SeccompCondition(0, SeccompCompare.Equal, 2), new SeccompCondition(1, SeccompCompare.MaskedEqual, 0xf, 2)], rule.Conditions);
    }

    [Fact]
    public void ConditionsOnTheSameArgumentMakeARuleEach()
    {
        var call = Rule("SCMP_ACT_ERRNO", "socket", "socketpair");
        call.Args = [Arg(0, "SCMP_CMP_EQ", 2), Arg(0, "SCMP_CMP_EQ", 10), Arg(1, "SCMP_CMP_NE", 1)];

        var rules = SeccompPlanner.Plan(Profile("SCMP_ACT_ALLOW", call)).Rules;

        Assert.Equal(6, rules.Count);
        Assert.All(rules, r => Assert.Single(r.Conditions));
        Assert.Equal([2ul, 10ul, 1ul], rules.Where(r => r.Syscall == "socket").Select(r => r.Conditions[0].DatumA));
    }

    [Fact]
    public void FlagsBecomeAttributesAndNoFlagsMeansSpecAllow()
    {
        var explicitFlags = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_LOG", "read"));
        explicitFlags.Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"];
        var attributes = SeccompPlanner.Plan(explicitFlags).Attributes;
        Assert.Contains(attributes, a => a is { Attribute: SeccompAttribute.Log, Value: 1, Required: true, Field: "linux.seccomp.flags[0]" });
        Assert.Contains(attributes, a => a is { Attribute: SeccompAttribute.ThreadSync, Value: 1, Required: true });
        Assert.DoesNotContain(attributes, a => a.Attribute == SeccompAttribute.SpecAllow);
        Assert.Contains(attributes, a => a is { Attribute: SeccompAttribute.NoNewPrivileges, Value: 0, Required: true });

        var noFlags = SeccompPlanner.Plan(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_LOG", "read"))).Attributes;
        Assert.Contains(noFlags, a => a is { Attribute: SeccompAttribute.SpecAllow, Value: 1 });

        var emptyFlags = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_LOG", "read"));
        emptyFlags.Flags = [];
        Assert.DoesNotContain(SeccompPlanner.Plan(emptyFlags).Attributes, a => a.Attribute == SeccompAttribute.SpecAllow);
    }

    [Fact]
    public void ArchitecturesResolveToTokens()
    {
        var profile = Profile("SCMP_ACT_ALLOW");
        profile.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"];

        var archs = SeccompPlanner.Plan(profile).Architectures;

        Assert.Equal([0xc000003eu, 0x40000003u, 0x4000003eu, 0xc00000b7u, 0x40000028u], archs.Select(a => a.Token));
    }

    [Fact]
    public void BadNamesAreErrorsNamingTheField()
    {
        Assert.Equal("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"", Error(Profile("SCMP_ACT_NOPE")));
        Assert.Equal("linux.seccomp.defaultAction: must be set when syscalls are listed", Error(Profile("", Rule("SCMP_ACT_ALLOW", "read"))));
        Assert.Equal("linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\"", Error(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", "a"), Rule("SCMP_ACT_ERRNO", "b"), Rule("SCMP_ACT_ERRNO", "c"), Rule("SCMP_ACT_FOO", "d"))));

        var badOp = Rule("SCMP_ACT_ERRNO", "socket");
        badOp.Args = [Arg(0, "SCMP_CMP_EQ", 1), Arg(1, "SCMP_CMP_BETWEEN", 1)];
        Assert.Equal("linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_BETWEEN\"", Error(Profile("SCMP_ACT_ALLOW", badOp)));

        var badIndex = Rule("SCMP_ACT_ERRNO", "socket");
        badIndex.Args = [Arg(6, "SCMP_CMP_EQ", 1)];
        Assert.Equal("linux.seccomp.syscalls[0].args[0].index: 6 is not a syscall argument (0-5)", Error(Profile("SCMP_ACT_ALLOW", badIndex)));

        Assert.Equal("linux.seccomp.syscalls[0].names[1]: empty syscall name", Error(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "read", ""))));

        var badArch = Profile("SCMP_ACT_ALLOW");
        badArch.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"];
        Assert.Equal("linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"", Error(badArch));
        badArch.Architectures = ["x86_64"];
        Assert.Equal("linux.seccomp.architectures[0]: unknown architecture \"x86_64\"", Error(badArch));

        var badFlag = Profile("SCMP_ACT_ALLOW");
        badFlag.Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FAST"];
        Assert.Equal("linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"", Error(badFlag));
    }

    [Fact]
    public void ErrnoRetIsOnlyForErrnoAndTraceAndMustFit()
    {
        var allowWithErrno = new LinuxSyscall { Names = ["read"], Action = "SCMP_ACT_LOG", ErrnoRet = 1 };
        Assert.Equal("linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not SCMP_ACT_LOG",
            Error(Profile("SCMP_ACT_ALLOW", allowWithErrno)));
        Assert.Equal("linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not SCMP_ACT_ALLOW",
            Error(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", DefaultErrnoRet = 1 }));
        var huge = new LinuxSyscall { Names = ["read"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 5000 };
        Assert.Equal("linux.seccomp.syscalls[0].errnoRet: 5000 is not an errno (0-4094)", Error(Profile("SCMP_ACT_ALLOW", huge)));
    }

    [Fact]
    public void NotifyNeedsAListenerAndIsNeverTheDefaultNorForWrite()
    {
        Assert.Equal("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action", Error(Profile("SCMP_ACT_NOTIFY")));
        Assert.Equal("linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for the write syscall",
            Error(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "read", "write"))));
        Assert.Equal("linux.seccomp.listenerPath: must be set when SCMP_ACT_NOTIFY is used", Error(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "mkdir"))));

        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "mkdir"));
        profile.ListenerPath = "/run/agent.sock";
        Assert.True(SeccompPlanner.Plan(profile).UsesNotify);
    }
}
