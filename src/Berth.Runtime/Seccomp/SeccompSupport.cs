using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Seccomp;

/// <summary>What this runtime, its libseccomp and the kernel support: the <c>linux.seccomp</c> part of <c>features</c>.</summary>
internal static class SeccompSupport
{
    static readonly Lazy<HashSet<string>> SupportedFlags = new(() =>
        SeccompNames.Flags.Where(f => Probe(f.Attribute, f.KernelFlag)).Select(f => f.Name).ToHashSet(StringComparer.Ordinal));

    /// <summary>The flag is known, the kernel accepts it, and libseccomp can set it on a filter.</summary>
    public static bool IsFlagSupported(string name) => SupportedFlags.Value.Contains(name);

    /// <summary>Architecture names (<c>SCMP_ARCH_*</c>) that the linked libseccomp can build filters for.</summary>
    public static IEnumerable<string> Architectures() =>
        SeccompArch.KnownNames.Where(n => SeccompArch.Resolve(n) is not null).Select(n => SeccompNames.ArchPrefix + n.ToUpperInvariant());

    public static SeccompFeatures Features() => new()
    {
        Enabled = true,
        Actions = [.. SeccompNames.Actions.Order(StringComparer.Ordinal)],
        Operators = [.. SeccompNames.Operators.Keys.Order(StringComparer.Ordinal)],
        Archs = [.. Architectures().Order(StringComparer.Ordinal)],
        KnownFlags = [.. SeccompNames.Flags.Select(f => f.Name)],
        SupportedFlags = [.. SeccompNames.Flags.Select(f => f.Name).Where(IsFlagSupported)],
    };

    static bool Probe(SeccompAttribute attribute, uint kernelFlag)
    {
        if (!SeccompKernel.IsFilterFlagSupported(kernelFlag))
            return false;
        using var scratch = SeccompContext.Create(SeccompAction.Allow);
        return scratch.TrySetAttribute(attribute, 1);
    }
}
