using System.Runtime.InteropServices;
using Berth.Engine.Security;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Security;

/// <summary>Docker's profile semantics (moby/profiles setupSeccomp): archMap, includes and excludes by capability, architecture and kernel.</summary>
public sealed class SeccompProfileSetupTests
{
    static readonly HostArchitecture Amd64 = HostArchitecture.Of(Architecture.X64);
    static readonly KernelRelease Kernel61 = new(6, 1);

    // Docker's default capability set.
    static readonly string[] DefaultCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    static LinuxSeccomp Default(IReadOnlyCollection<string> caps, HostArchitecture? arch = null, KernelRelease? kernel = null)
        => SeccompProfileSetup.Setup(DefaultSeccompProfile.Profile, caps, arch ?? Amd64, kernel ?? Kernel61)!;

    static IEnumerable<LinuxSyscall> RulesFor(LinuxSeccomp seccomp, string name) => seccomp.Syscalls!.Where(r => r.Names.Contains(name));

    static bool Allowed(LinuxSeccomp seccomp, string name) => RulesFor(seccomp, name).Any(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null);

    [Fact]
    public void The_default_profile_refuses_with_EPERM_and_names_the_host_architecture_with_its_sub_architectures()
    {
        var seccomp = Default(DefaultCaps);
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], Default(DefaultCaps, HostArchitecture.Of(Architecture.Arm64)).Architectures);
    }

    [Fact]
    public void Ordinary_syscalls_are_allowed_and_privileged_ones_are_not_with_the_default_capabilities()
    {
        var seccomp = Default(DefaultCaps);
        Assert.True(Allowed(seccomp, "read"));
        Assert.True(Allowed(seccomp, "mkdirat"));
        Assert.True(Allowed(seccomp, "chroot")); // CAP_SYS_CHROOT is a default capability
        foreach (string privileged in new[] { "mount", "unshare", "setns", "reboot", "init_module", "bpf", "syslog" })
            Assert.Empty(RulesFor(seccomp, privileged));
    }

    [Fact]
    public void A_capability_added_brings_the_syscalls_the_profile_gates_on_it()
    {
        var seccomp = Default([.. DefaultCaps, "CAP_SYS_ADMIN"]);
        Assert.True(Allowed(seccomp, "mount"));
        Assert.True(Allowed(seccomp, "unshare"));
        Assert.True(Allowed(seccomp, "setns"));
        Assert.True(Allowed(seccomp, "clone")); // unrestricted
        Assert.False(Allowed(seccomp, "reboot")); // that needs CAP_SYS_BOOT
    }

    [Fact]
    public void Rules_excluded_by_a_capability_are_left_out_when_the_container_has_it()
    {
        var plain = Default(DefaultCaps);
        // Without CAP_SYS_ADMIN: clone only without namespace flags, clone3 answers ENOSYS so that libc falls back to clone.
        var clone = Assert.Single(RulesFor(plain, "clone"));
        Assert.Equal("SCMP_CMP_MASKED_EQ", Assert.Single(clone.Args!).Op);
        Assert.Equal(0u, clone.Args![0].Index);
        var clone3 = Assert.Single(RulesFor(plain, "clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", (uint?)38u), (clone3.Action, clone3.ErrnoRet));

        var admin = Default([.. DefaultCaps, "CAP_SYS_ADMIN"]);
        Assert.DoesNotContain(RulesFor(admin, "clone"), r => r.Args is not null);
        Assert.DoesNotContain(RulesFor(admin, "clone3"), r => r.Action == "SCMP_ACT_ERRNO");
    }

    [Fact]
    public void Rules_for_other_architectures_are_left_out()
    {
        var amd64 = Default(DefaultCaps);
        Assert.True(Allowed(amd64, "arch_prctl"));
        Assert.True(Allowed(amd64, "modify_ldt"));
        Assert.Empty(RulesFor(amd64, "s390_runtime_instr"));
        Assert.Empty(RulesFor(amd64, "riscv_flush_icache"));
        // s390 passes clone's flags second: its own rule, not amd64's.
        var s390x = Default(DefaultCaps, HostArchitecture.Of(Architecture.S390x));
        Assert.Equal(1u, Assert.Single(RulesFor(s390x, "clone")).Args![0].Index);
        Assert.True(Allowed(s390x, "s390_runtime_instr"));
        Assert.Empty(RulesFor(s390x, "arch_prctl"));
    }

    [Fact]
    public void Rules_with_a_minimum_kernel_apply_from_that_kernel_on()
    {
        Assert.True(Allowed(Default(DefaultCaps, kernel: new KernelRelease(4, 8)), "ptrace"));
        Assert.True(Allowed(Default(DefaultCaps, kernel: new KernelRelease(5, 0)), "ptrace"));
        Assert.False(Allowed(Default(DefaultCaps, kernel: new KernelRelease(4, 7)), "ptrace"));
        Assert.False(Allowed(Default(DefaultCaps, kernel: new KernelRelease(3, 19)), "ptrace"));
    }

    [Fact]
    public void Excludes_by_kernel_leave_a_rule_out_from_that_kernel_on()
    {
        var profile = SeccompProfileJson.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["old"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"5.4"}}]}""");
        Assert.Single(SeccompProfileSetup.Setup(profile, [], Amd64, new KernelRelease(5, 3))!.Syscalls!);
        Assert.Null(SeccompProfileSetup.Setup(profile, [], Amd64, new KernelRelease(5, 4))!.Syscalls);
    }

    [Fact]
    public void Includes_need_every_capability_they_name()
    {
        var profile = SeccompProfileJson.Parse("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_A","CAP_B"]}}]}""");
        Assert.Null(SeccompProfileSetup.Setup(profile, ["CAP_A"], Amd64, Kernel61)!.Syscalls);
        Assert.Single(SeccompProfileSetup.Setup(profile, ["CAP_A", "CAP_B"], Amd64, Kernel61)!.Syscalls!);
    }

    [Fact]
    public void A_custom_profile_keeps_its_own_architectures_flags_and_errno_and_an_old_name_becomes_names()
    {
        var profile = SeccompProfileJson.Parse("""
            {"DefaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"flags":["SECCOMP_FILTER_FLAG_LOG"],
             "syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO","errnoRet":13,"comment":"no"},
                         {"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":10,"op":"SCMP_CMP_EQ"}]}],
             "unknownField":1}
            """);
        var seccomp = SeccompProfileSetup.Setup(profile, [], Amd64, Kernel61)!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Null(seccomp.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64"], seccomp.Architectures);
        Assert.Equal(["SECCOMP_FILTER_FLAG_LOG"], seccomp.Flags);
        Assert.Equal(["mkdir"], seccomp.Syscalls![0].Names);
        Assert.Equal(13u, seccomp.Syscalls[0].ErrnoRet);
        Assert.Equal(10ul, seccomp.Syscalls[1].Args![0].Value);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("""{"syscalls":[]}""")]
    public void A_profile_without_default_action_or_rules_means_no_filter(string json)
        => Assert.Null(SeccompProfileSetup.Setup(SeccompProfileJson.Parse(json), [], Amd64, Kernel61));

    [Theory]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}""",
        "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}""",
        "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4"}}]}""",
        "Decoding seccomp profile failed: invalid kernel version: \"4\", expected \"<kernel>.<major>\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","excludes":{"minKernel":"4.x"}}]}""",
        "Decoding seccomp profile failed: invalid kernel version: \"4.x\", expected \"<kernel>.<major>\": strconv.ParseUint: parsing \"x\": invalid syntax")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"0.0"}}]}""",
        "Decoding seccomp profile failed: invalid kernel version: \"0.0\", expected \"<kernel>.<major>\": version cannot be 0.0")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.300"}}]}""",
        "Decoding seccomp profile failed: invalid kernel version: \"4.300\", expected \"<kernel>.<major>\": strconv.ParseUint: parsing \"300\": value out of range")]
    public void Profiles_docker_refuses_fail_with_docker_s_words(string json, string message)
    {
        var e = Assert.Throws<EngineException>(() => SeccompProfileSetup.Setup(SeccompProfileJson.Parse(json), [], Amd64, Kernel61));
        Assert.Equal(message, e.Message);
        Assert.Equal(EngineErrorKind.InvalidParameter, e.Kind);
    }

    [Theory]
    [InlineData("default", "Decoding seccomp profile failed: invalid JSON at line 1, column 1")]
    [InlineData("""{"defaultAction":5}""", "Decoding seccomp profile failed: json: cannot unmarshal number 5 into Go struct field SeccompProfile.defaultAction of type string")]
    public void A_profile_that_is_not_json_or_has_wrong_types_is_a_decoding_error(string json, string start)
    {
        var e = Assert.Throws<EngineException>(() => SeccompProfileJson.Parse(json));
        Assert.StartsWith(start, e.Message);
    }

    [Fact]
    public void The_host_kernel_is_uname_s_version_and_major_revision()
    {
        var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim().Split('.', '-');
        Assert.Equal(new KernelRelease(int.Parse(release[0]), int.Parse(release[1])), KernelRelease.Host);
    }
}
