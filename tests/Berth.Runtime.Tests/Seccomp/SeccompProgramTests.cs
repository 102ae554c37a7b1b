using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Berth.Runtime.Seccomp;
using Xunit;
using static Berth.Runtime.Tests.Seccomp.TestLibc;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>
/// Filters compiled once by the runtime (<see cref="SeccompFilter.Compile"/>) and installed by the init with one
/// seccomp(2): they filter like libseccomp's own load, and the cache in the runtime root serves a profile's second
/// compile, on an exact match of the profile only.
/// </summary>
public sealed class SeccompProgramTests : IDisposable
{
    readonly string _cache = Path.Combine(Path.GetTempPath(), $"berth-seccomp-cache-{Guid.NewGuid():N}");

    static LinuxSeccomp Denying(string syscall, uint errno) => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls = [new LinuxSyscall { Names = [syscall], Action = "SCMP_ACT_ERRNO", ErrnoRet = errno }],
    };

    [Fact]
    public void AnInstalledProgramFiltersLikeTheProfile()
    {
        var program = SeccompFilter.Compile(Denying("getpid", 42), cacheDirectory: null)!;

        var (getpidResult, getppidResult) = FilteredThread.Run(program.Install, () => (Call(getpid), Call(getppid)));

        Assert.Equal((-1, 42), getpidResult);
        Assert.True(getppidResult.Result > 0);
    }

    [Fact]
    public void TheProgramCarriesTheKernelFlagsTheProfileAsksFor()
    {
        var profile = Denying("getpid", 42);
        profile.Flags = ["SECCOMP_FILTER_FLAG_LOG"];

        Assert.Equal(SeccompKernel.FlagLog, SeccompFilter.Compile(profile, cacheDirectory: null)!.Flags);
        // No flags at all: SPEC_ALLOW, as runc, where the kernel has it.
        uint expected = SeccompKernel.IsFilterFlagSupported(SeccompKernel.FlagSpecAllow) ? SeccompKernel.FlagSpecAllow : 0;
        Assert.Equal(expected, SeccompFilter.Compile(Denying("getpid", 42), cacheDirectory: null)!.Flags);
    }

    [Fact]
    public void NoFilterAndNotifyProfilesCompileToNothing()
    {
        Assert.Null(SeccompFilter.Compile(new LinuxSeccomp(), _cache));
        var notify = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = "/run/agent.sock",
            Syscalls = [new LinuxSyscall { Names = ["mkdir"], Action = "SCMP_ACT_NOTIFY" }],
        };
        Assert.Null(SeccompFilter.Compile(notify, _cache, canDeliverNotifyFd: true));
        Assert.False(Directory.Exists(_cache) && Directory.EnumerateFiles(_cache).Any());
    }

    [Fact]
    public void TheSecondCompileOfAProfileIsServedByTheCache()
    {
        var profile = Denying("getpid", 42);
        var first = SeccompFilter.Compile(profile, _cache)!;
        string entry = Assert.Single(Directory.GetFiles(_cache, "*.bpf"));

        // Swap the program in the entry for another profile's: only a compile that reads the cache returns it.
        var other = SeccompFilter.Compile(Denying("getppid", 7), cacheDirectory: null)!;
        byte[] bytes = File.ReadAllBytes(entry);
        int programStart = bytes.Length - first.Serialize().Length;
        File.WriteAllBytes(entry, [.. bytes.AsSpan(0, programStart), .. other.Serialize()]);

        var second = SeccompFilter.Compile(profile, _cache)!;
        Assert.Equal(other.Filter, second.Filter);
        Assert.NotEqual(first.Filter, second.Filter);
    }

    [Fact]
    public void AnotherProfileNeverTakesAnEntryThatIsNotItsOwn()
    {
        var denyGetpid = SeccompFilter.Compile(Denying("getpid", 42), _cache)!;
        var denyGetppid = SeccompFilter.Compile(Denying("getppid", 42), _cache)!;
        var errnoChanged = SeccompFilter.Compile(Denying("getpid", 43), _cache)!;

        Assert.NotEqual(denyGetpid.Filter, denyGetppid.Filter);
        Assert.NotEqual(denyGetpid.Filter, errnoChanged.Filter);
        Assert.Equal(3, Directory.GetFiles(_cache, "*.bpf").Length);
        var (getpidResult, _) = FilteredThread.Run(errnoChanged.Install, () => (Call(getpid), 0));
        Assert.Equal((-1, 43), getpidResult);
    }

    [Fact]
    public void ACorruptEntryIsRebuiltNotLoaded()
    {
        var profile = Denying("getpid", 42);
        var fresh = SeccompFilter.Compile(profile, _cache)!;
        string entry = Assert.Single(Directory.GetFiles(_cache, "*.bpf"));
        byte[] bytes = File.ReadAllBytes(entry);
        File.WriteAllBytes(entry, bytes.AsSpan(0, bytes.Length - 3).ToArray()); // not whole instructions

        var rebuilt = SeccompFilter.Compile(profile, _cache)!;

        Assert.Equal(fresh.Filter, rebuilt.Filter);
        Assert.Equal(bytes, File.ReadAllBytes(entry)); // and written again
        Assert.Empty(Directory.GetFiles(_cache, "*.tmp"));
    }

    [Fact]
    public void AnInvalidProfileIsRefusedAndCachesNothing()
    {
        var bad = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["getpid"], Action = "SCMP_ACT_NOPE" }],
        };

        var e = Assert.Throws<RuntimeError>(() => SeccompFilter.Compile(bad, _cache));

        Assert.Contains("unknown action", e.Message);
        Assert.False(Directory.Exists(_cache));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache))
            Directory.Delete(_cache, recursive: true);
    }
}
