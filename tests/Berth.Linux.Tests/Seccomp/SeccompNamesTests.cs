using Berth.Linux.Seccomp;
using Xunit;

namespace Berth.Linux.Tests.Seccomp;

/// <summary>Names to numbers through libseccomp, and what the library and kernel report.</summary>
public class SeccompNamesTests
{
    [Fact]
    public void SyscallNamesResolvePerArchitecture()
    {
        uint x86_64 = SeccompArch.Resolve("x86_64")!.Value;
        uint x86 = SeccompArch.Resolve("x86")!.Value;

        Assert.Equal(39, SeccompSyscalls.Resolve(x86_64, "getpid"));
        Assert.Equal(20, SeccompSyscalls.Resolve(x86, "getpid"));
        Assert.Null(SeccompSyscalls.Resolve("berth_no_such_syscall"));
        Assert.Null(SeccompSyscalls.Resolve(""));
    }

    [Fact]
    public void SyscallsOfOtherArchitecturesResolveToPseudoNumbers()
    {
        if (SeccompArch.Native != SeccompArch.Resolve("x86_64"))
            return;
        int? socketcall = SeccompSyscalls.Resolve("socketcall");

        Assert.NotNull(socketcall);
        Assert.True(socketcall < -1);
    }

    [Fact]
    public void ArchitectureNamesResolveToAuditTokens()
    {
        Assert.Equal(0xc000003eu, SeccompArch.Resolve("x86_64"));
        Assert.Equal(0x40000003u, SeccompArch.Resolve("x86"));
        Assert.Equal(0xc00000b7u, SeccompArch.Resolve("aarch64"));
        Assert.Null(SeccompArch.Resolve("vax"));
        Assert.Equal("aarch64", SeccompArch.Name(0xc00000b7u));
    }

    [Fact]
    public void TheLibraryAndKernelSupportWhatContainersNeed()
    {
        Assert.StartsWith("2.", SeccompLibrary.Version);
        Assert.True(SeccompLibrary.ApiLevel >= 5, $"API level {SeccompLibrary.ApiLevel}");
        Assert.True(SeccompKernel.IsAvailable);
        Assert.True(SeccompKernel.IsFilterFlagSupported(SeccompKernel.FlagTsync));
        Assert.True(SeccompKernel.IsFilterFlagSupported(SeccompKernel.FlagNewListener));
        Assert.False(SeccompKernel.IsFilterFlagSupported(1u << 30));
        Assert.True(SeccompKernel.IsActionAvailable(SeccompAction.Log));
        Assert.True(SeccompKernel.IsActionAvailable(SeccompAction.KillProcess));
        Assert.False(SeccompKernel.IsActionAvailable(0x12345678));
    }
}
