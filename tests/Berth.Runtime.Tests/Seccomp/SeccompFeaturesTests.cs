using Berth.Runtime.Seccomp;
using Xunit;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>The <c>linux.seccomp</c> part of <c>features</c>, in runc's shape.</summary>
public class SeccompFeaturesTests
{
    [Fact]
    public void FeaturesListWhatRuncLists()
    {
        var features = SeccompFilter.Features();

        Assert.True(features.Enabled);
        Assert.Equal(
            ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
             "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"],
            features.Actions);
        Assert.Equal(
            ["SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"],
            features.Operators);
        Assert.Superset(new HashSet<string> {
            "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390X", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64" }, features.Archs!.ToHashSet());
        Assert.Equal(features.Archs!.Order(StringComparer.Ordinal), features.Archs);
        Assert.Equal(
            ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
            features.KnownFlags);
        Assert.Subset(features.KnownFlags!.ToHashSet(), features.SupportedFlags!.ToHashSet());
        Assert.Contains("SECCOMP_FILTER_FLAG_LOG", features.SupportedFlags!);
    }
}
