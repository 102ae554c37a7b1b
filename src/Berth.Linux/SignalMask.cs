using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Signals taken synchronously instead of by handlers, as tini does: blocked in every thread and waited
/// for with sigwaitinfo. A blocked signal is queued, never lost, and never runs the default action;
/// it must be blocked in every thread, since the kernel hands a process-directed signal to any thread
/// that does not block it.
/// </summary>
public static unsafe class SignalMask
{
    /// <summary>Blocks the signals in the calling thread; threads it starts afterwards inherit the mask.</summary>
    public static void Block(ReadOnlySpan<int> signals)
    {
        SigSet set = Set(signals);
        int rc = Libc.pthread_sigmask(Libc.SIG_BLOCK, &set, null);
        if (rc != 0)
            throw new LinuxException(rc, "block signals");
    }

    /// <summary>Waits until one of the (blocked) signals is pending, takes it and returns its number.</summary>
    public static int Wait(ReadOnlySpan<int> signals)
    {
        SigSet set = Set(signals);
        while (true)
        {
            int signal = Libc.sigwaitinfo(&set, null);
            if (signal > 0)
                return signal;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw new LinuxException(errno, "wait for a signal");
        }
    }

    /// <summary>Sets the signal's disposition to SIG_IGN (kept across execve, unlike a handler).</summary>
    public static void Ignore(int signal)
    {
        var action = stackalloc ulong[4]; // handler SIG_IGN, flags, restorer, mask
        action[0] = 1;
        action[1] = action[2] = action[3] = 0;
        if (Libc.syscall(Syscalls.RtSigaction, signal, (long)action, 0, 8, 0) < 0)
            throw LinuxException.FromLastError($"ignore {Signals.Name(signal)}");
    }

    static SigSet Set(ReadOnlySpan<int> signals)
    {
        SigSet set = default;
        foreach (int s in signals)
            set.Add(s);
        return set;
    }
}
