using System.Runtime.InteropServices;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// `run` and `exec` without --detach: the runtime stays, forwards the signals it receives to the
/// container's process, proxies a terminal it made itself when there is no --console-socket, and
/// ends with the process's exit status.
/// </summary>
internal sealed class ForegroundSession : IDisposable
{
    static readonly int[] Forwarded =
    [
        Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGTERM, Signals.SIGUSR1, Signals.SIGUSR2,
        Signals.SIGALRM, Signals.SIGCONT, Signals.SIGWINCH,
    ];

    readonly List<PosixSignalRegistration> _registrations = [];
    SafeFileHandle? _ourEnd;
    SafeFileHandle? _master;
    byte[]? _savedTerminal;
    Thread? _output;
    int _pid;

    /// <summary>For a terminal without --console-socket: the socket end to hand to the container process.</summary>
    public SafeFileHandle CreateConsoleSocket()
    {
        var (ours, theirs) = UnixSockets.Pair();
        _ourEnd = ours;
        return theirs;
    }

    /// <summary>Receives the pty master (after the process was started) and starts copying between it and our stdio.</summary>
    public void AttachTerminal()
    {
        if (_ourEnd is null)
            return;
        var (_, fds) = UnixSockets.ReceiveFds(_ourEnd);
        if (fds.Length != 1)
            throw new RuntimeError(ErrorKind.Internal, "console socket: expected one descriptor");
        _master = fds[0];
        int master = (int)_master.DangerousGetHandle();
        if (Terminal.GetSize(0) is { } size)
            Terminal.SetSize(master, size.Rows, size.Columns);
        if (Terminal.IsTerminal(0))
            _savedTerminal = Terminal.MakeRaw(0);
        var stdin = new SafeFileHandle(0, ownsHandle: false);
        var stdout = new SafeFileHandle(1, ownsHandle: false);
        StartCopy(stdin, _master);
        _output = StartCopy(_master, stdout);
    }

    static Thread StartCopy(SafeFileHandle from, SafeFileHandle to)
    {
        var thread = new Thread(() =>
        {
            var buffer = new byte[32 * 1024];
            try
            {
                int n;
                while ((n = Files.Read(from, buffer)) > 0)
                    Files.WriteAll(to, buffer.AsSpan(0, n));
            }
            catch (LinuxException)
            {
                // EIO from the master when the last slave closes: the end of the session.
            }
        })
        { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Forwards signals to <paramref name="pid"/> and reaps until it ends; returns its shell-style exit code.</summary>
    public int Wait(int pid)
    {
        _pid = pid;
        foreach (int signal in Forwarded)
            _registrations.Add(PosixSignalRegistration.Create(ToPosixSignal(signal), Forward));
        while (true)
        {
            var (reaped, status) = Processes.ReapAny(block: true);
            if (reaped == pid)
            {
                // What the process wrote before it ended is still in the pty: drain it.
                _output?.Join(TimeSpan.FromSeconds(2));
                return status.ShellCode;
            }
            if (reaped < 0)
                return Processes.Exists(pid) ? 255 : 0;
        }
    }

    void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        int signal = FromPosixSignal(context.Signal);
        if (signal == Signals.SIGWINCH)
        {
            if (_master is not null && Terminal.GetSize(0) is { } size)
                Terminal.SetSize((int)_master.DangerousGetHandle(), size.Rows, size.Columns);
            return;
        }
        if (_pid > 0)
            Processes.TryKill(_pid, signal);
    }

    // .NET names the signals it handles itself with negative values; the rest go by number.
    static PosixSignal ToPosixSignal(int signal) => signal switch
    {
        Signals.SIGHUP => PosixSignal.SIGHUP,
        Signals.SIGINT => PosixSignal.SIGINT,
        Signals.SIGQUIT => PosixSignal.SIGQUIT,
        Signals.SIGTERM => PosixSignal.SIGTERM,
        Signals.SIGCONT => PosixSignal.SIGCONT,
        Signals.SIGWINCH => PosixSignal.SIGWINCH,
        _ => (PosixSignal)signal,
    };

    static int FromPosixSignal(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => Signals.SIGHUP,
        PosixSignal.SIGINT => Signals.SIGINT,
        PosixSignal.SIGQUIT => Signals.SIGQUIT,
        PosixSignal.SIGTERM => Signals.SIGTERM,
        PosixSignal.SIGCONT => Signals.SIGCONT,
        PosixSignal.SIGWINCH => Signals.SIGWINCH,
        _ => (int)signal,
    };

    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
        if (_savedTerminal is not null)
            Terminal.Restore(0, _savedTerminal);
        _ourEnd?.Dispose();
    }
}
