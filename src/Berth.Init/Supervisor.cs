using System.Runtime.InteropServices;
using Berth.Linux;

namespace Berth.Init;

/// <summary>
/// tini's main loop: start the command, then wait for signals; forward each to the command (or its
/// process group), and on SIGCHLD reap every ended child, the command's orphans included. When the
/// command itself has ended, exit with its status; the kernel ends what is left of the container.
/// </summary>
static class Supervisor
{
    public static int Run(IReadOnlyList<string> command, bool signalProcessGroup)
    {
        // Before the command starts: a SIGCHLD or a forwarded signal from now on waits in the queue.
        BlockedSignals.BlockInEveryThread();
        SignalMask.Ignore(Signals.SIGTTIN);
        SignalMask.Ignore(Signals.SIGTTOU);
        if (Processes.CurrentId != 1)
            Processes.SetChildSubreaper(); // orphans still come here when something else is PID 1

        int child;
        try
        {
            child = InitChild.Spawn(command, ProcessEnvironment.Read());
        }
        catch (LinuxException e)
        {
            Output.WriteError($"[FATAL berth-init ({Processes.CurrentId})] exec {command[0]} failed: {Marshal.GetPInvokeErrorMessage(e.Errno)}");
            return e.Errno switch { Errno.ENOENT => 127, Errno.EACCES => 126, _ => 1 };
        }

        while (true)
        {
            int signal = SignalMask.Wait(BlockedSignals.Set);
            if (signal != Signals.SIGCHLD)
                Processes.TryKill(signalProcessGroup ? -child : child, signal);
            if (ReapAll(child) is { } status)
                return status.ShellCode;
        }
    }

    /// <summary>Reaps every child that has ended; the command's status when it is one of them.</summary>
    static ExitStatus? ReapAll(int command)
    {
        ExitStatus? commandStatus = null;
        while (true)
        {
            var (pid, status) = Processes.ReapAny(block: false);
            if (pid <= 0)
                return commandStatus;
            if (pid == command)
                commandStatus = status;
        }
    }
}
