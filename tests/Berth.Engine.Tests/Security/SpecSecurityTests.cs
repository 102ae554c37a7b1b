using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Security;

/// <summary>What --init and the security options make of a container's OCI spec.</summary>
public sealed class SpecSecurityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-spec-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    RuntimeSpec Build(HostConfig host, EngineOptions? engine = null)
    {
        var record = new ContainerRecord { Id = new string('a', 64), Path = "sleep", Args = ["1000"], HostConfig = host };
        return SpecBuilder.Build(new SpecBuilder.Inputs(record, _dir, _dir, [], "/berth") { Engine = engine ?? Engine() });
    }

    EngineOptions Engine(bool init = false)
    {
        string initPath = Path.Combine(_dir, "berth-init");
        File.WriteAllText(initPath, "");
        return new EngineOptions { InitPath = initPath, Init = init };
    }

    [Fact]
    public void Init_runs_the_command_under_docker_init_mounted_read_only()
    {
        var spec = Build(new HostConfig { Init = true });
        Assert.Equal(["/sbin/docker-init", "--", "sleep", "1000"], spec.Process!.Args);
        var mount = Assert.Single(spec.Mounts!, m => m.Destination == "/sbin/docker-init");
        Assert.Equal(("bind", Path.Combine(_dir, "berth-init")), (mount.Type, mount.Source));
        Assert.Equal(["bind", "ro"], mount.Options);
    }

    [Fact]
    public void The_daemon_s_init_default_holds_unless_the_container_says_otherwise()
    {
        Assert.Equal("/sbin/docker-init", Build(new HostConfig(), Engine(init: true)).Process!.Args![0]);
        Assert.Equal(["sleep", "1000"], Build(new HostConfig { Init = false }, Engine(init: true)).Process!.Args);
        Assert.Equal(["sleep", "1000"], Build(new HostConfig()).Process!.Args);
        Assert.DoesNotContain(Build(new HostConfig()).Mounts!, m => m.Destination == "/sbin/docker-init");
    }

    [Fact]
    public void A_missing_init_executable_is_an_error_at_start()
    {
        var engine = new EngineOptions { InitPath = Path.Combine(_dir, "absent") };
        Assert.Contains("absent", Assert.Throws<EngineException>(() => Build(new HostConfig { Init = true }, engine)).Message);
    }

    [Fact]
    public void Containers_get_docker_s_default_filter_tested_against_their_own_capabilities()
    {
        var plain = Build(new HostConfig()).Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_ERRNO", plain.DefaultAction);
        Assert.DoesNotContain(plain.Syscalls!, r => r.Names.Contains("mount"));
        var admin = Build(new HostConfig { CapAdd = ["SYS_ADMIN"] }).Linux!.Seccomp!;
        Assert.Contains(admin.Syscalls!, r => r.Names.Contains("mount") && r.Action == "SCMP_ACT_ALLOW");
        var dropped = Build(new HostConfig { CapDrop = ["SYS_CHROOT"] }).Linux!.Seccomp!;
        Assert.DoesNotContain(dropped.Syscalls!, r => r.Names.Contains("chroot"));
    }

    [Fact]
    public void Privileged_unconfined_and_no_new_privileges_reach_the_spec()
    {
        Assert.Null(Build(new HostConfig { Privileged = true }).Linux!.Seccomp);
        Assert.Null(Build(new HostConfig { SecurityOpt = ["seccomp=unconfined"] }).Linux!.Seccomp);
        Assert.True(Build(new HostConfig { SecurityOpt = ["no-new-privileges"] }).Process!.NoNewPrivileges);
        Assert.False(Build(new HostConfig()).Process!.NoNewPrivileges);
        var custom = Build(new HostConfig { SecurityOpt = ["""seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}"""] });
        Assert.Equal("SCMP_ACT_ALLOW", custom.Linux!.Seccomp!.DefaultAction);
    }
}
