using Berth.Linux.Seccomp;

namespace Berth.Runtime.Seccomp;

/// <summary>The spec's seccomp names (libseccomp's <c>SCMP_*</c> and the kernel's <c>SECCOMP_FILTER_FLAG_*</c>) and what they mean.</summary>
internal static class SeccompNames
{
    public const string ActKill = "SCMP_ACT_KILL";
    public const string ActKillProcess = "SCMP_ACT_KILL_PROCESS";
    public const string ActKillThread = "SCMP_ACT_KILL_THREAD";
    public const string ActTrap = "SCMP_ACT_TRAP";
    public const string ActErrno = "SCMP_ACT_ERRNO";
    public const string ActTrace = "SCMP_ACT_TRACE";
    public const string ActAllow = "SCMP_ACT_ALLOW";
    public const string ActLog = "SCMP_ACT_LOG";
    public const string ActNotify = "SCMP_ACT_NOTIFY";

    public static readonly IReadOnlyList<string> Actions =
        [ActAllow, ActErrno, ActKill, ActKillProcess, ActKillThread, ActLog, ActNotify, ActTrace, ActTrap];

    public static readonly IReadOnlyDictionary<string, SeccompCompare> Operators = new Dictionary<string, SeccompCompare>(StringComparer.Ordinal)
    {
        ["SCMP_CMP_NE"] = SeccompCompare.NotEqual,
        ["SCMP_CMP_LT"] = SeccompCompare.LessThan,
        ["SCMP_CMP_LE"] = SeccompCompare.LessOrEqual,
        ["SCMP_CMP_EQ"] = SeccompCompare.Equal,
        ["SCMP_CMP_GE"] = SeccompCompare.GreaterOrEqual,
        ["SCMP_CMP_GT"] = SeccompCompare.GreaterThan,
        ["SCMP_CMP_MASKED_EQ"] = SeccompCompare.MaskedEqual,
    };

    public const string ArchPrefix = "SCMP_ARCH_";

    /// <summary><c>SCMP_ARCH_X86_64</c> → <c>x86_64</c>, libseccomp's own name; null for a name libseccomp has never had.</summary>
    public static string? LibseccompArchName(string specName)
    {
        if (!specName.StartsWith(ArchPrefix, StringComparison.Ordinal))
            return null;
        string name = specName[ArchPrefix.Length..].ToLowerInvariant();
        return SeccompArch.KnownNames.Contains(name) && specName == ArchPrefix + name.ToUpperInvariant() ? name : null;
    }

    public const string FlagTsync = "SECCOMP_FILTER_FLAG_TSYNC";
    public const string FlagSpecAllow = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";
    public const string FlagLog = "SECCOMP_FILTER_FLAG_LOG";
    public const string FlagWaitKillableRecv = "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV";

    /// <summary>Filter flags Berth knows, in runc's order (<c>features.knownFlags</c>), with the libseccomp attribute and kernel flag of each.</summary>
    public static readonly IReadOnlyList<(string Name, SeccompAttribute Attribute, uint KernelFlag)> Flags =
    [
        (FlagTsync, SeccompAttribute.ThreadSync, SeccompKernel.FlagTsync),
        (FlagSpecAllow, SeccompAttribute.SpecAllow, SeccompKernel.FlagSpecAllow),
        (FlagLog, SeccompAttribute.Log, SeccompKernel.FlagLog),
        (FlagWaitKillableRecv, SeccompAttribute.WaitKillable, SeccompKernel.FlagWaitKillableRecv),
    ];
}
