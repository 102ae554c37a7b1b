using System.Text;
using Berth.Oci;
using Berth.Runtime.Seccomp;
using Xunit;
using static Berth.Runtime.Tests.Seccomp.TestLibc;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>Docker's default profile, as Docker writes it into config.json, validates, loads and filters.</summary>
public class SeccompDockerProfileTests
{
    static Oci.Runtime.LinuxSeccomp Profile() =>
        OciJson.ReadSpec(Encoding.UTF8.GetBytes(DockerDefaultProfile.ConfigJson)).Linux!.Seccomp!;

    [Fact]
    public void TheProfileValidates() => SeccompFilter.Validate(Profile());

    [Fact]
    public void TheProfileLoadsAndDeniesWhatDockerDenies()
    {
        var profile = Profile();

        var results = FilteredThread.Run(() => SeccompFilter.Load(profile), () => new Dictionary<string, int>
        {
            ["getpid"] = ErrnoOf(Call(getpid)),
            ["socket(AF_UNIX)"] = ErrnoOf(Socket(AF_UNIX)),
            ["socket(AF_VSOCK)"] = ErrnoOf(Socket(AF_VSOCK)),
            ["personality(query)"] = ErrnoOf(Call(() => personality(0xffffffff))),
            ["personality(0x12345)"] = ErrnoOf(Call(() => personality(0x12345))),
            ["umount2"] = ErrnoOf(Call(() => umount2("/berth-seccomp-test-nonexistent", 0))),
            ["clone3"] = ErrnoOf(Call(() => (int)syscall(SysClone3, 0, 0))),
        });

        Assert.Equal(0, results["getpid"]);
        Assert.Equal(0, results["socket(AF_UNIX)"]);
        Assert.Equal(1, results["socket(AF_VSOCK)"]);        // EPERM: the default action
        Assert.Equal(0, results["personality(query)"]);
        Assert.Equal(1, results["personality(0x12345)"]);
        Assert.Equal(1, results["umount2"]);                 // not allowed without CAP_SYS_ADMIN
        Assert.Equal(38, results["clone3"]);                 // ENOSYS, so that glibc falls back to clone
    }
}
