namespace Berth.Linux.Seccomp;

/// <summary>Architecture tokens of libseccomp (<c>SCMP_ARCH_*</c>, the kernel's <c>AUDIT_ARCH_*</c>) by libseccomp's names.</summary>
public static class SeccompArch
{
    /// <summary>
    /// libseccomp's architecture names (<c>seccomp_arch_resolve_name</c>), the lower-case suffix of <c>SCMP_ARCH_*</c>;
    /// the last three need libseccomp 2.6.
    /// </summary>
    public static readonly IReadOnlyList<string> KnownNames =
    [
        "x86", "x86_64", "x32", "arm", "aarch64",
        "mips", "mips64", "mips64n32", "mipsel", "mipsel64", "mipsel64n32",
        "ppc", "ppc64", "ppc64le", "s390", "s390x", "parisc", "parisc64", "riscv64",
        "loongarch64", "m68k", "sh",
    ];

    /// <summary>The token for a libseccomp architecture name, or null if this libseccomp does not know it.</summary>
    public static uint? Resolve(string name)
    {
        uint token = LibSeccomp.seccomp_arch_resolve_name(name);
        return token != 0 ? token : null;
    }

    /// <summary>The token of the architecture this process runs on.</summary>
    public static uint Native => LibSeccomp.seccomp_arch_native();

    /// <summary>libseccomp's name for a token, for messages.</summary>
    public static string Name(uint token)
    {
        foreach (var name in KnownNames)
        {
            if (Resolve(name) == token)
                return name;
        }
        return $"0x{token:x8}";
    }
}
