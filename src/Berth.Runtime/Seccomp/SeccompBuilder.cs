using Berth.Linux;
using Berth.Linux.Seccomp;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Makes a libseccomp filter of a <see cref="SeccompPlan"/>, without loading it. Syscall names that libseccomp
/// does not know (newer than it, or of another architecture) are skipped, as runc skips them.
/// </summary>
internal static class SeccompBuilder
{
    public static SeccompContext Build(SeccompPlan plan)
    {
        SeccompContext context;
        try
        {
            context = SeccompContext.Create(plan.DefaultAction);
        }
        catch (LinuxException e)
        {
            throw Failed("linux.seccomp.defaultAction", "create the filter", e);
        }
        try
        {
            foreach (var arch in plan.Architectures)
                Apply(() => context.AddArchitecture(arch.Token), arch.Field, $"add architecture {arch.Name}");
            foreach (var attribute in plan.Attributes)
            {
                if (attribute.Required)
                    Apply(() => context.SetAttribute(attribute.Attribute, attribute.Value), attribute.Field, $"set {attribute.Attribute}");
                else
                    context.TrySetAttribute(attribute.Attribute, attribute.Value);
            }
            foreach (var rule in plan.Rules)
            {
                if (SeccompSyscalls.Resolve(rule.Syscall) is not int syscall)
                    continue;
                Apply(() => context.AddRule(rule.Action, syscall, rule.Conditions, rule.Syscall), rule.Field, $"add rule for \"{rule.Syscall}\"");
            }
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    static void Apply(Action step, string field, string what)
    {
        try
        {
            step();
        }
        catch (LinuxException e)
        {
            throw Failed(field, what, e);
        }
    }

    static RuntimeError Failed(string field, string what, LinuxException e)
    {
        var kind = e.Errno == Errno.EOPNOTSUPP ? ErrorKind.Unsupported : ErrorKind.InvalidArgument;
        return new RuntimeError(kind, $"{field}: {what}: {LinuxException.Describe(e.Errno)}", e);
    }
}
