using Berth.Linux;
using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// The spec's seccomp profile (<c>linux.seccomp</c>) as a libseccomp filter: checked at create time with
/// <see cref="Validate"/>, loaded by the container's init with <see cref="Load"/> just before it becomes
/// the user's program. A filter applies to the calling thread only, unless the spec asks for
/// SECCOMP_FILTER_FLAG_TSYNC; execve keeps it. Without no_new_privs, loading needs CAP_SYS_ADMIN.
/// </summary>
internal static class SeccompFilter
{
    /// <summary>
    /// Checks names, numbers and rules and builds the filter without loading it, so that a bad profile fails
    /// before any container process exists. A profile with SCMP_ACT_NOTIFY is refused (Unsupported) unless
    /// <paramref name="canDeliverNotifyFd"/>: only a caller that hands the notify fd to the listener may accept it.
    /// </summary>
    public static void Validate(LinuxSeccomp seccomp, bool canDeliverNotifyFd = false) => Compile(seccomp, null, canDeliverNotifyFd);

    /// <summary>
    /// Validates like <see cref="Validate"/> and returns the filter as a BPF program for the init to install
    /// (<see cref="SeccompProgram.Install"/>), taken from the cache in <paramref name="cacheDirectory"/> when this profile
    /// was compiled before. Null when the profile asks for no filter, or uses SCMP_ACT_NOTIFY: the init then builds
    /// that filter with libseccomp itself (<see cref="LoadAndTakeNotifyFd"/>), which is what hands out the notify fd.
    /// </summary>
    public static SeccompProgram? Compile(LinuxSeccomp seccomp, string? cacheDirectory, bool canDeliverNotifyFd = false)
    {
        var plan = SeccompPlanner.Plan(seccomp);
        if (plan.IsDisabled)
            return null;
        if (plan.UsesNotify)
        {
            if (!canDeliverNotifyFd)
                throw NotifyUnsupported();
            SeccompBuilder.Build(plan).Dispose();
            return null;
        }
        var cache = cacheDirectory is null ? null : new SeccompProgramCache(cacheDirectory);
        byte[]? key = cache is null ? null : SeccompProgramCache.KeyOf(seccomp);
        if (key is not null && cache!.TryGet(key) is { } cached)
            return cached;
        SeccompProgram program;
        using (var context = SeccompBuilder.Build(plan))
            program = new SeccompProgram(Export(context), plan.KernelFlags());
        if (key is not null)
            cache!.TryPut(key, program);
        return program;
    }

    /// <summary>Builds the filter and loads it into the calling thread. Refuses SCMP_ACT_NOTIFY, whose fd it could not deliver.</summary>
    public static void Load(LinuxSeccomp seccomp)
    {
        var plan = SeccompPlanner.Plan(seccomp);
        if (plan.UsesNotify)
            throw NotifyUnsupported();
        LoadPlan(plan)?.Dispose();
    }

    /// <summary>
    /// Builds and loads the filter like <see cref="Load"/>, and returns its user-notification fd when the profile
    /// uses SCMP_ACT_NOTIFY (null otherwise), for <see cref="SeccompListener.Send"/> in the runtime process.
    /// </summary>
    public static SafeFileHandle? LoadAndTakeNotifyFd(LinuxSeccomp seccomp) => LoadPlan(SeccompPlanner.Plan(seccomp));

    /// <summary>Whether the profile has SCMP_ACT_NOTIFY rules, whose fd goes to <c>listenerPath</c>.</summary>
    public static bool UsesNotify(LinuxSeccomp seccomp) => SeccompPlanner.Plan(seccomp).UsesNotify;

    /// <summary>The <c>linux.seccomp</c> part of <c>features</c>.</summary>
    public static SeccompFeatures Features() => SeccompSupport.Features();

    static SafeFileHandle? LoadPlan(SeccompPlan plan)
    {
        if (plan.IsDisabled)
            return null;
        using var context = SeccompBuilder.Build(plan);
        try
        {
            context.Load();
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"linux.seccomp: load the filter: {LinuxException.Describe(e.Errno)}", e);
        }
        if (!plan.UsesNotify)
            return null;
        return context.TakeNotifyFd()
            ?? throw new RuntimeError(ErrorKind.Internal, "linux.seccomp: the filter was loaded without a notify fd");
    }

    static byte[] Export(SeccompContext context)
    {
        try
        {
            return context.ExportBpf();
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"linux.seccomp: export the filter: {LinuxException.Describe(e.Errno)}", e);
        }
    }

    static RuntimeError NotifyUnsupported() => new(ErrorKind.Unsupported,
        "linux.seccomp: SCMP_ACT_NOTIFY needs a caller that hands the notify fd to linux.seccomp.listenerPath");
}
