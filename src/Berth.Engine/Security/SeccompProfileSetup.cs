using Berth.Oci.Runtime;

namespace Berth.Engine.Security;

/// <summary>
/// A Docker seccomp profile made into one container's <c>linux.seccomp</c> (moby/profiles
/// setupSeccomp): the architectures of the host's <c>archMap</c> entry, and the rules whose conditions
/// hold for this host and the container's capabilities. A rule is left out when the host's
/// architecture or kernel, or any one of the container's capabilities, is among its <c>excludes</c>;
/// or when its <c>includes</c> name architectures without the host's, a capability the container
/// lacks, or a newer kernel.
/// </summary>
public static class SeccompProfileSetup
{
    /// <param name="capabilities">The container's bounding set (<c>CAP_SYS_ADMIN</c>, ...), after cap-add and cap-drop.</param>
    /// <returns>Null when the profile asks for no filter (no default action and no rules).</returns>
    /// <exception cref="EngineException">A profile Docker refuses, in Docker's words.</exception>
    public static LinuxSeccomp? Setup(SeccompProfile profile, IReadOnlyCollection<string> capabilities, HostArchitecture arch, KernelRelease kernel)
    {
        var rules = (profile.Syscalls ?? []).OfType<SeccompRule>().ToList(); // a JSON null in the list is no rule
        // Go reads minKernel while decoding, so a bad one fails the whole profile first.
        foreach (var condition in rules.SelectMany(r => new[] { r.Includes, r.Excludes }))
            if (condition?.MinKernel is { } min)
                KernelRelease.ParseMinimum(min);
        if (string.IsNullOrEmpty(profile.DefaultAction) && rules.Count == 0)
            return null;
        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
            throw EngineException.Invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");

        var seccomp = new LinuxSeccomp
        {
            DefaultAction = profile.DefaultAction ?? "",
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = profile.Architectures is null ? null : [.. profile.Architectures],
            Flags = profile.Flags is null ? null : [.. profile.Flags],
            ListenerPath = profile.ListenerPath,
            ListenerMetadata = profile.ListenerMetadata,
        };
        if (profile.ArchMap?.FirstOrDefault(a => a.Architecture is not null && a.Architecture == arch.Seccomp) is { } entry)
            seccomp.Architectures = [entry.Architecture!, .. entry.SubArchitectures ?? []];

        foreach (var rule in rules)
        {
            var names = Names(rule);
            if (Excluded(rule.Excludes, capabilities, arch, kernel) || !Included(rule.Includes, capabilities, arch, kernel))
                continue;
            (seccomp.Syscalls ??= []).Add(new LinuxSyscall
            {
                Names = names,
                Action = rule.Action ?? "",
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is null ? null : [.. rule.Args],
            });
        }
        return seccomp;
    }

    static List<string> Names(SeccompRule rule)
    {
        if (string.IsNullOrEmpty(rule.Name))
            return rule.Names is null ? [] : [.. rule.Names];
        if (rule.Names is { Count: > 0 })
            throw EngineException.Invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
        return [rule.Name];
    }

    static bool Excluded(SeccompCondition? excludes, IReadOnlyCollection<string> capabilities, HostArchitecture arch, KernelRelease kernel)
    {
        if (excludes is null)
            return false;
        if (excludes.Arches?.Contains(arch.Native) == true)
            return true;
        if (excludes.Caps?.Any(capabilities.Contains) == true)
            return true;
        return excludes.MinKernel is { } min && kernel.IsAtLeast(KernelRelease.ParseMinimum(min));
    }

    static bool Included(SeccompCondition? includes, IReadOnlyCollection<string> capabilities, HostArchitecture arch, KernelRelease kernel)
    {
        if (includes is null)
            return true;
        if (includes.Arches is { Count: > 0 } arches && !arches.Contains(arch.Native))
            return false;
        if (includes.Caps?.All(capabilities.Contains) == false)
            return false;
        return includes.MinKernel is not { } min || kernel.IsAtLeast(KernelRelease.ParseMinimum(min));
    }
}
