namespace Berth.Linux.Seccomp;

/// <summary>Filter attributes of libseccomp (<c>enum scmp_filter_attr</c>), set with <see cref="SeccompContext.SetAttribute"/>.</summary>
public enum SeccompAttribute
{
    /// <summary>Read-only: the default action given to <c>seccomp_init</c>.</summary>
    DefaultAction = 1,
    /// <summary>Action for a syscall from an architecture not in the filter (default: kill).</summary>
    BadArchAction = 2,
    /// <summary>Set no_new_privs before loading (default 1). A runtime sets it itself and wants 0.</summary>
    NoNewPrivileges = 3,
    /// <summary>SECCOMP_FILTER_FLAG_TSYNC: apply to every thread of the process (default 0).</summary>
    ThreadSync = 4,
    /// <summary>Allow rules for syscall -1 (tracers skipping a call).</summary>
    TraceSkip = 5,
    /// <summary>SECCOMP_FILTER_FLAG_LOG: log every action but allow.</summary>
    Log = 6,
    /// <summary>SECCOMP_FILTER_FLAG_SPEC_ALLOW: keep the Speculative Store Bypass mitigation off.</summary>
    SpecAllow = 7,
    /// <summary>1: rules by priority (default); 2: binary tree by syscall number, for long filters.</summary>
    Optimize = 8,
    /// <summary>Return the kernel's errno from <c>seccomp_load</c> instead of -ECANCELED.</summary>
    RawReturnCodes = 9,
    /// <summary>SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; libseccomp 2.6 and later only.</summary>
    WaitKillable = 10,
}
