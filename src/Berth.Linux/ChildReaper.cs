using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Starts children that run long and end on their own (berthd's shims) and reaps them, without a
/// thread waiting for each: on SIGCHLD it calls waitpid(pid, WNOHANG) for every child it started,
/// and only for those. Never waitpid(-1): that would take the exit status of children that others
/// wait for by pid (System.Diagnostics.Process reaps only its own pids, as does
/// <see cref="Processes.Wait"/>).
/// </summary>
/// <remarks>
/// SIGCHLD comes through <see cref="PosixSignalRegistration"/>: the runtime's signal thread sees it
/// and runs the handler on the thread pool, so no thread of ours exists for it. Signals coalesce,
/// which is why each one checks every known pid. A child reaped by someone else (waitpid fails
/// with ECHILD) is dropped with a null status: as pid 1 the .NET runtime reaps every child itself,
/// and with SIGCHLD ignored from the start the kernel reaps them and no signal comes at all, which
/// is why each spawn sweeps the set too.
/// </remarks>
public static unsafe class ChildReaper
{
    static readonly Lock Gate = new();
    static readonly Dictionary<int, TaskCompletionSource<ExitStatus?>> Children = [];
    // Held for good: a registration that is collected unregisters its handler.
    static PosixSignalRegistration? _registration;

    /// <summary>
    /// Starts the child and watches it in one step (the signal of a child that ends at once waits
    /// for the lock, so it cannot come before the pid is known). Exited completes when it has been
    /// reaped: with its status, or null when it was reaped by someone else.
    /// </summary>
    public static (int Pid, Task<ExitStatus?> Exited) Spawn(SpawnOptions options)
    {
        lock (Gate)
        {
            _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => ReapEnded());
            ReapEndedLocked();
            int pid = Processes.Spawn(options);
            var exited = new TaskCompletionSource<ExitStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Children[pid] = exited;
            return (pid, exited.Task);
        }
    }

    static void ReapEnded()
    {
        lock (Gate)
            ReapEndedLocked();
    }

    static void ReapEndedLocked()
    {
        if (Children.Count == 0)
            return;
        List<int>? ended = null;
        foreach (var (pid, exited) in Children)
        {
            int status;
            int r;
            do
                r = Libc.waitpid(pid, &status, Libc.WNOHANG | Libc.WALL);
            while (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            if (r == pid)
                exited.SetResult(ExitStatus.FromWaitStatus(status));
            else if (r < 0)
                exited.SetResult(null);
            else
                continue;
            (ended ??= []).Add(pid);
        }
        foreach (int pid in ended ?? [])
            Children.Remove(pid);
    }
}
