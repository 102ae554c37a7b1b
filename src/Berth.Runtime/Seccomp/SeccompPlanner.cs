using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using static Berth.Runtime.Seccomp.SeccompNames;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Checks the spec's <c>linux.seccomp</c> and turns it into a <see cref="SeccompPlan"/>, the way runc does
/// (<c>libcontainer/specconv</c> and <c>libcontainer/seccomp</c>): SCMP_ACT_KILL is KILL_THREAD; ERRNO and TRACE
/// return EPERM unless errnoRet says otherwise; a rule whose action is the default action is dropped; the
/// conditions of one rule go into one libseccomp rule unless two compare the same argument, in which case each
/// condition becomes a rule of its own; without <c>flags</c>, SPEC_ALLOW is set if supported. Errors name the field.
/// </summary>
internal static class SeccompPlanner
{
    const string Root = "linux.seccomp";
    const uint DefaultErrno = 1; // EPERM

    /// <summary>runc asks libseccomp for a binary tree above this many syscalls.</summary>
    const int BinaryTreeThreshold = 32;

    public static SeccompPlan Plan(LinuxSeccomp seccomp)
    {
        var syscalls = seccomp.Syscalls ?? [];
        if (seccomp.DefaultAction.Length == 0 && syscalls.Count == 0)
            return SeccompPlan.Disabled;

        if (seccomp.DefaultAction.Length == 0)
            throw RuntimeError.Invalid($"{Root}.defaultAction: must be set when syscalls are listed");
        var (defaultAction, defaultNotify) = Action(seccomp.DefaultAction, seccomp.DefaultErrnoRet, $"{Root}.defaultAction", $"{Root}.defaultErrnoRet");
        if (defaultNotify)
            throw RuntimeError.Invalid($"{Root}.defaultAction: {ActNotify} cannot be the default action");

        var rules = new List<SeccompRulePlan>();
        bool usesNotify = false;
        int names = 0;
        for (int i = 0; i < syscalls.Count; i++)
        {
            string field = $"{Root}.syscalls[{i}]";
            var call = syscalls[i];
            var (action, notify) = Action(call.Action, call.ErrnoRet, $"{field}.action", $"{field}.errnoRet");
            var conditions = Conditions(call.Args ?? [], field);
            for (int j = 0; j < call.Names.Count; j++)
            {
                if (string.IsNullOrEmpty(call.Names[j]))
                    throw RuntimeError.Invalid($"{field}.names[{j}]: empty syscall name");
                if (notify && call.Names[j] == "write")
                    throw RuntimeError.Invalid($"{field}.names[{j}]: {ActNotify} cannot be used for the write syscall");
            }
            names += call.Names.Count;
            if (action == defaultAction)
                continue;
            usesNotify |= notify;
            bool ruleEach = SharesArgument(conditions);
            foreach (var name in call.Names)
            {
                if (ruleEach)
                    rules.AddRange(conditions.Select(c => new SeccompRulePlan(field, name, action, [c])));
                else
                    rules.Add(new SeccompRulePlan(field, name, action, conditions));
            }
        }

        if (usesNotify)
            CheckNotify(seccomp);
        var attributes = new List<SeccompAttributePlan>
        {
            // The runtime sets no_new_privs itself when the spec asks for it, never on libseccomp's initiative.
            new(Root, SeccompAttribute.NoNewPrivileges, 0, Required: true),
            new(Root, SeccompAttribute.RawReturnCodes, 1, Required: false),
        };
        if (names > BinaryTreeThreshold)
            attributes.Add(new(Root, SeccompAttribute.Optimize, 2, Required: false));
        attributes.AddRange(Flags(seccomp.Flags));
        return new SeccompPlan(defaultAction, Architectures(seccomp.Architectures ?? []), attributes, rules, usesNotify);
    }

    /// <summary>The libseccomp action for a spec action name, and whether it is SCMP_ACT_NOTIFY.</summary>
    static (uint Action, bool Notify) Action(string name, uint? errnoRet, string field, string errnoField)
    {
        switch (name)
        {
            case ActErrno:
                uint errno = errnoRet ?? DefaultErrno;
                if (errno > SeccompAction.MaxErrno)
                    throw RuntimeError.Invalid($"{errnoField}: {errno} is not an errno (0-{SeccompAction.MaxErrno})");
                return (SeccompAction.Errno((ushort)errno), false);
            case ActTrace:
                uint message = errnoRet ?? DefaultErrno;
                if (message > ushort.MaxValue)
                    throw RuntimeError.Invalid($"{errnoField}: {message} does not fit the 16 bits of a trace message");
                return (SeccompAction.Trace((ushort)message), false);
        }
        uint action = name switch
        {
            ActKill or ActKillThread => SeccompAction.KillThread,
            ActKillProcess => SeccompAction.KillProcess,
            ActTrap => SeccompAction.Trap,
            ActAllow => SeccompAction.Allow,
            ActLog => SeccompAction.Log,
            ActNotify => SeccompAction.Notify,
            _ => throw RuntimeError.Invalid($"{field}: unknown action \"{name}\""),
        };
        // The spec: when the action doesn't support an errno, the runtime MUST print an error and fail.
        if (errnoRet is not null)
            throw RuntimeError.Invalid($"{errnoField}: only {ActErrno} and {ActTrace} take an errno, not {name}");
        return (action, name == ActNotify);
    }

    static SeccompCondition[] Conditions(List<LinuxSeccompArg> args, string field)
    {
        var conditions = new SeccompCondition[args.Count];
        for (int k = 0; k < args.Count; k++)
        {
            var arg = args[k];
            if (arg.Index >= SeccompCondition.MaxArguments)
                throw RuntimeError.Invalid($"{field}.args[{k}].index: {arg.Index} is not a syscall argument (0-{SeccompCondition.MaxArguments - 1})");
            if (!Operators.TryGetValue(arg.Op, out var op))
                throw RuntimeError.Invalid($"{field}.args[{k}].op: unknown operator \"{arg.Op}\"");
            conditions[k] = new SeccompCondition(arg.Index, op, arg.Value, arg.ValueTwo);
        }
        return conditions;
    }

    static bool SharesArgument(SeccompCondition[] conditions)
    {
        Span<bool> seen = stackalloc bool[SeccompCondition.MaxArguments];
        foreach (var c in conditions)
        {
            if (seen[(int)c.Argument])
                return true;
            seen[(int)c.Argument] = true;
        }
        return false;
    }

    static List<SeccompArchitecturePlan> Architectures(List<string> architectures)
    {
        var plans = new List<SeccompArchitecturePlan>();
        for (int k = 0; k < architectures.Count; k++)
        {
            string field = $"{Root}.architectures[{k}]";
            string arch = architectures[k];
            string name = LibseccompArchName(arch) ?? throw RuntimeError.Invalid($"{field}: unknown architecture \"{arch}\"");
            uint token = SeccompArch.Resolve(name)
                ?? throw new RuntimeError(ErrorKind.Unsupported, $"{field}: {arch} is not supported by libseccomp {SeccompLibrary.Version}");
            plans.Add(new SeccompArchitecturePlan(field, arch, token));
        }
        return plans;
    }

    static IEnumerable<SeccompAttributePlan> Flags(List<string>? flags)
    {
        if (flags is null)
        {
            // runc: no flags at all (not even an empty list) means SPEC_ALLOW where it is supported.
            if (SeccompSupport.IsFlagSupported(FlagSpecAllow))
                yield return new SeccompAttributePlan($"{Root}.flags", SeccompAttribute.SpecAllow, 1, Required: false);
            yield break;
        }
        for (int k = 0; k < flags.Count; k++)
        {
            string field = $"{Root}.flags[{k}]";
            int known = IndexOfFlag(flags[k]);
            if (known < 0)
                throw RuntimeError.Invalid($"{field}: unknown flag \"{flags[k]}\"");
            if (!SeccompSupport.IsFlagSupported(flags[k]))
                throw new RuntimeError(ErrorKind.Unsupported, $"{field}: {flags[k]} is not supported by this kernel and libseccomp {SeccompLibrary.Version}");
            yield return new SeccompAttributePlan(field, SeccompNames.Flags[known].Attribute, 1, Required: true);
        }
    }

    static int IndexOfFlag(string name)
    {
        for (int i = 0; i < SeccompNames.Flags.Count; i++)
        {
            if (SeccompNames.Flags[i].Name == name)
                return i;
        }
        return -1;
    }

    static void CheckNotify(LinuxSeccomp seccomp)
    {
        if (string.IsNullOrEmpty(seccomp.ListenerPath))
            throw RuntimeError.Invalid($"{Root}.listenerPath: must be set when {ActNotify} is used");
        uint needed = seccomp.Flags?.Contains(FlagTsync) == true ? 6u : 5u;
        if (SeccompLibrary.ApiLevel < needed)
            throw new RuntimeError(ErrorKind.Unsupported,
                $"{Root}: {ActNotify} needs libseccomp API level {needed} (libseccomp 2.5 and Linux 5.7), got {SeccompLibrary.ApiLevel}");
    }
}
