using System.Runtime.InteropServices;

namespace Berth.Engine.Security;

/// <summary>
/// The host's architecture as seccomp profiles name it: libseccomp's native name, which a rule's
/// <c>arches</c> lists (<c>amd64</c>, <c>arm64</c>, ...), and the spec's <c>SCMP_ARCH_*</c> name, which
/// picks the profile's <c>archMap</c> entry. Docker's tables (moby/profiles seccomp_linux.go).
/// </summary>
public sealed record HostArchitecture(string Native, string? Seccomp)
{
    public static HostArchitecture Host { get; } = Of(RuntimeInformation.OSArchitecture);

    public static HostArchitecture Of(Architecture architecture) => architecture switch
    {
        Architecture.X64 => new("amd64", "SCMP_ARCH_X86_64"),
        Architecture.X86 => new("x86", "SCMP_ARCH_X86"),
        Architecture.Arm64 => new("arm64", "SCMP_ARCH_AARCH64"),
        Architecture.Arm or Architecture.Armv6 => new("arm", "SCMP_ARCH_ARM"),
        Architecture.S390x => new("s390x", "SCMP_ARCH_S390X"),
        Architecture.Ppc64le => new("ppc64le", "SCMP_ARCH_PPC64LE"),
        Architecture.RiscV64 => new("riscv64", "SCMP_ARCH_RISCV64"),
        Architecture.LoongArch64 => new("loong64", "SCMP_ARCH_LOONGARCH64"),
        _ => new(architecture.ToString().ToLowerInvariant(), null),
    };
}
