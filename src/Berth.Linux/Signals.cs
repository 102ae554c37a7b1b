using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Signal numbers and names (x86_64 and aarch64 share them).</summary>
public static unsafe class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
        SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
        SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
        SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
        SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

    public const int SIGRTMIN = 34, SIGRTMAX = 64;

    static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>
    /// Parses a signal as runc and docker accept it: a number, a name with or without SIG
    /// (any case), IOT/CLD/POLL aliases, or RTMIN+n / RTMAX-n.
    /// </summary>
    public static bool TryParse(string text, out int signal)
    {
        signal = 0;
        if (int.TryParse(text, out int n))
        {
            signal = n;
            return n is > 0 and <= SIGRTMAX;
        }
        string name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal))
            name = name[3..];
        switch (name)
        {
            case "IOT": signal = SIGABRT; return true;
            case "CLD": signal = SIGCHLD; return true;
            case "POLL": signal = SIGIO; return true;
            case "RTMIN": signal = SIGRTMIN; return true;
            case "RTMAX": signal = SIGRTMAX; return true;
        }
        if (name.StartsWith("RTMIN+", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), out int up) && up is >= 0 and <= SIGRTMAX - SIGRTMIN)
        {
            signal = SIGRTMIN + up;
            return true;
        }
        if (name.StartsWith("RTMAX-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), out int down) && down is >= 0 and <= SIGRTMAX - SIGRTMIN)
        {
            signal = SIGRTMAX - down;
            return true;
        }
        int index = Array.IndexOf(Names, name);
        if (index > 0)
        {
            signal = index;
            return true;
        }
        return false;
    }

    /// <summary>SIGTERM, SIGRTMIN+3, ...</summary>
    public static string Name(int signal) => signal switch
    {
        > 0 and < SIGRTMIN when signal < Names.Length => "SIG" + Names[signal],
        >= SIGRTMIN and <= SIGRTMAX => $"SIGRTMIN+{signal - SIGRTMIN}",
        _ => signal.ToString(),
    };

    /// <summary>Resets every signal to its default disposition and unblocks all; done before execve,
    /// since ignored signals (the .NET runtime ignores SIGPIPE) survive it.</summary>
    public static void ResetAll()
    {
        // rt_sigaction directly: glibc refuses 32 and 33 (its own), which the .NET runtime may have set.
        var action = stackalloc ulong[4]; // handler SIG_DFL, flags, restorer, mask
        for (int s = 1; s <= SIGRTMAX; s++)
        {
            if (s == SIGKILL || s == SIGSTOP)
                continue;
            action[0] = action[1] = action[2] = action[3] = 0;
            Libc.syscall(Syscalls.RtSigaction, s, (long)action, 0, 8, 0);
        }
        SigSet none = default;
        Libc.sigprocmask(Libc.SIG_SETMASK, &none, null);
    }
}
