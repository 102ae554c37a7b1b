using Berth.Linux.Seccomp;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// A checked seccomp profile, as the libseccomp calls it takes: what <see cref="SeccompPlanner"/> makes of the
/// spec's <c>linux.seccomp</c> and <see cref="SeccompBuilder"/> turns into a filter. Every entry keeps the
/// spec field it came from, for errors.
/// </summary>
internal sealed record SeccompPlan(
    uint DefaultAction,
    IReadOnlyList<SeccompArchitecturePlan> Architectures,
    IReadOnlyList<SeccompAttributePlan> Attributes,
    IReadOnlyList<SeccompRulePlan> Rules,
    bool UsesNotify)
{
    /// <summary>The spec asks for no filter: no default action and no syscalls (runc's rule).</summary>
    public static readonly SeccompPlan Disabled = new(SeccompAction.Allow, [], [], [], false);

    public bool IsDisabled => ReferenceEquals(this, Disabled);

    /// <summary>The <c>SECCOMP_FILTER_FLAG_*</c> that <c>seccomp_load</c> passes for these attributes.</summary>
    public uint KernelFlags()
    {
        uint flags = 0;
        foreach (var attribute in Attributes)
            foreach (var (_, flagAttribute, kernelFlag) in SeccompNames.Flags)
                if (attribute.Attribute == flagAttribute && attribute.Value != 0)
                    flags |= kernelFlag;
        return flags;
    }
}

internal sealed record SeccompArchitecturePlan(string Field, string Name, uint Token);

/// <summary>A libseccomp attribute; when not <paramref name="Required"/>, a libseccomp that lacks it is ignored.</summary>
internal sealed record SeccompAttributePlan(string Field, SeccompAttribute Attribute, uint Value, bool Required);

/// <summary>One <c>seccomp_rule_add</c>; every condition must hold.</summary>
internal sealed record SeccompRulePlan(string Field, string Syscall, uint Action, SeccompCondition[] Conditions);
