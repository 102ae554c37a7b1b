using Berth.Engine.Security;

namespace Berth.Engine.Tests.Security;

/// <summary>HostConfig.SecurityOpt read as dockerd reads it, and which seccomp filter a container gets.</summary>
public sealed class SecurityOptionsTests
{
    [Theory]
    [InlineData("no-new-privileges", true)]
    [InlineData("no-new-privileges=true", true)]
    [InlineData("no-new-privileges:true", true)]
    [InlineData("no-new-privileges=1", true)]
    [InlineData("no-new-privileges=false", false)]
    [InlineData("label=disable", false)]
    [InlineData("apparmor=unconfined", false)]
    public void No_new_privileges_in_every_spelling_docker_takes(string option, bool expected)
        => Assert.Equal(expected, SecurityOptions.Parse([option]).NoNewPrivileges);

    [Theory]
    [InlineData("writable-cgroups", true)]
    [InlineData("writable-cgroups=true", true)]
    [InlineData("writable-cgroups:1", true)]
    [InlineData("writable-cgroups=false", false)]
    [InlineData("no-new-privileges", false)]
    public void Writable_cgroups_in_every_spelling_docker_takes(string option, bool expected)
        => Assert.Equal(expected, SecurityOptions.Parse([option]).WritableCgroups);

    [Fact]
    public void The_daemon_s_no_new_privileges_holds_unless_the_container_turns_it_off()
    {
        Assert.True(SecurityOptions.Parse([], noNewPrivileges: true).NoNewPrivileges);
        Assert.False(SecurityOptions.Parse(["no-new-privileges=false"], noNewPrivileges: true).NoNewPrivileges);
    }

    [Fact]
    public void The_seccomp_option_carries_unconfined_builtin_or_a_profile_s_json()
    {
        Assert.Null(SecurityOptions.Parse(null).SeccompProfile);
        Assert.Equal("unconfined", SecurityOptions.Parse(["seccomp=unconfined"]).SeccompProfile);
        Assert.Equal("""{"defaultAction":"SCMP_ACT_ALLOW","a":"b=c:d"}""", SecurityOptions.Parse(["""seccomp={"defaultAction":"SCMP_ACT_ALLOW","a":"b=c:d"}"""]).SeccompProfile);
    }

    [Theory]
    [InlineData("unknown", "invalid --security-opt 1: \"unknown\"")]
    [InlineData("label", "invalid --security-opt 1: \"label\"")]
    [InlineData("unknown=something", "invalid --security-opt 2: \"unknown=something\"")]
    [InlineData("systempaths=unconfined", "invalid --security-opt 2: \"systempaths=unconfined\"")]
    [InlineData("no-new-privileges=maybe", "invalid --security-opt 2: \"no-new-privileges=maybe\"")]
    [InlineData("writable-cgroups=potato", "invalid --security-opt 2: \"writable-cgroups=potato\"")]
    [InlineData("writeable-cgroups=true", "invalid --security-opt 2: \"writeable-cgroups=true\"")]
    [InlineData("odd=\"q\"", "invalid --security-opt 2: \"odd=\\\"q\\\"\"")]
    public void Unknown_options_are_docker_s_error(string option, string message)
    {
        var e = Assert.Throws<EngineException>(() => SecurityOptions.Parse([option]));
        Assert.Equal(message, e.Message);
        Assert.Equal(EngineErrorKind.InvalidParameter, e.Kind);
    }

    [Fact]
    public void Privileged_and_unconfined_containers_get_no_filter_and_others_the_daemon_s()
    {
        string[] caps = ["CAP_CHOWN"];
        Assert.Null(ContainerSeccomp.For(privileged: true, null, ContainerSeccomp.Builtin, caps));
        Assert.Null(ContainerSeccomp.For(privileged: true, """{"defaultAction":"SCMP_ACT_KILL"}""", ContainerSeccomp.Builtin, caps));
        Assert.Null(ContainerSeccomp.For(false, ContainerSeccomp.Unconfined, ContainerSeccomp.Builtin, caps));
        Assert.Null(ContainerSeccomp.For(false, null, ContainerSeccomp.Unconfined, caps));
        Assert.Equal("SCMP_ACT_ERRNO", ContainerSeccomp.For(false, null, ContainerSeccomp.Builtin, caps)!.DefaultAction);
        Assert.Equal("SCMP_ACT_ERRNO", ContainerSeccomp.For(false, ContainerSeccomp.Builtin, ContainerSeccomp.Unconfined, caps)!.DefaultAction);
        Assert.Equal("SCMP_ACT_LOG", ContainerSeccomp.For(false, null, """{"defaultAction":"SCMP_ACT_LOG"}""", caps)!.DefaultAction);
        Assert.Equal("SCMP_ACT_TRAP", ContainerSeccomp.For(false, """{"defaultAction":"SCMP_ACT_TRAP"}""", """{"defaultAction":"SCMP_ACT_LOG"}""", caps)!.DefaultAction);
    }

    [Fact]
    public void Validation_reads_only_profiles_not_their_names()
    {
        ContainerSeccomp.Validate(null);
        ContainerSeccomp.Validate(ContainerSeccomp.Builtin);
        ContainerSeccomp.Validate(ContainerSeccomp.Unconfined);
        Assert.StartsWith("Decoding seccomp profile failed: ", Assert.Throws<EngineException>(() => ContainerSeccomp.Validate("default")).Message);
    }
}
