using System.Runtime.CompilerServices;
using Berth.Linux;

namespace Berth.Init;

/// <summary>
/// The signals berth-init takes synchronously (tini's set): every one but those that cannot be caught
/// (KILL, STOP), those a fault raises in the faulting thread (ILL, TRAP, ABRT, BUS, FPE, SEGV, SYS),
/// the terminal stops it ignores (TTIN, TTOU), and 32-34, which glibc and the .NET runtime use for
/// themselves. CHLD is among them: it wakes the loop to reap.
/// </summary>
static class BlockedSignals
{
    public static readonly int[] Set = Enumerable.Range(1, Signals.SIGRTMAX).Where(s => s is not (
        Signals.SIGKILL or Signals.SIGSTOP or Signals.SIGILL or Signals.SIGTRAP or Signals.SIGABRT or Signals.SIGBUS
        or Signals.SIGFPE or Signals.SIGSEGV or Signals.SIGSYS or Signals.SIGTTIN or Signals.SIGTTOU or 32 or 33 or 34)).ToArray();

    /// <summary>
    /// Blocks <see cref="Set"/> in every thread of the process. The kernel gives a process-directed signal
    /// to any thread that does not block it, and to a PID 1 whose disposition is the default that means
    /// the signal is dropped; the NativeAOT runtime has started its finalizer thread before Main, so the
    /// mask is set there too, by a finalizer, the one piece of code that runs on that thread.
    /// </summary>
    public static void BlockInEveryThread()
    {
        SignalMask.Block(Set);
        while (!FinalizerThreadBlocked)
        {
            LeaveGarbage();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    static volatile bool FinalizerThreadBlocked;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void LeaveGarbage() => _ = new FinalizerThreadMask();

    sealed class FinalizerThreadMask
    {
        ~FinalizerThreadMask()
        {
            SignalMask.Block(Set);
            FinalizerThreadBlocked = true;
        }
    }
}
