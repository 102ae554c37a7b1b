using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// The stdio of the container's init or of an exec'd process. Without a terminal: a pipe for
/// stdout, one for stderr, one for stdin when it is open (else /dev/null). With one: /dev/null for
/// the runtime and a console socket through which the runtime hands over the pty master, which is
/// then output and input at once. The process's ends are closed once the runtime has run, so that
/// the shim's reads see end of file when the process (and whatever inherited them) is gone.
/// </summary>
sealed class ProcessIo : IDisposable
{
    readonly SafeFileHandle _devNull;
    readonly ConsoleSocket? _console;
    readonly bool _openStdin;
    SafeFileHandle? _childIn, _childOut, _childErr;
    SafeFileHandle? _stdinWrite;

    ProcessIo(bool tty, bool openStdin, string? consoleSocketPath)
    {
        Tty = tty;
        _openStdin = openStdin;
        _devNull = Files.Open("/dev/null", OpenFlags.ReadWrite);
        if (tty)
        {
            _console = ConsoleSocket.Listen(consoleSocketPath!);
            return;
        }
        if (openStdin)
            (_childIn, _stdinWrite) = Files.Pipe();
        SafeFileHandle outRead, errRead;
        (outRead, _childOut) = Files.Pipe();
        (errRead, _childErr) = Files.Pipe();
        Output = outRead;
        ErrorOutput = errRead;
    }

    public bool Tty { get; }

    /// <summary>stdout's read end, or the pty master.</summary>
    public SafeFileHandle? Output { get; private set; }

    /// <summary>stderr's read end (no terminal only).</summary>
    public SafeFileHandle? ErrorOutput { get; }

    /// <summary>Where the process's input goes; null when it has none.</summary>
    public ProcessStdin? Stdin { get; private set; }

    /// <summary>--console-socket for the runtime (terminal only).</summary>
    public string? ConsoleSocketPath => _console?.Path;

    /// <param name="consoleSocketPath">Where to listen for the pty master when <paramref name="tty"/>.</param>
    public static ProcessIo Create(bool tty, bool openStdin, string consoleSocketPath) => new(tty, openStdin, consoleSocketPath);

    /// <summary>Fds 0, 1 and 2 for the runtime (the process inherits them).</summary>
    public (int In, int Out, int Err) ChildFds
    {
        get
        {
            int nul = (int)_devNull.DangerousGetHandle();
            return (Fd(_childIn) ?? nul, Fd(_childOut) ?? nul, Fd(_childErr) ?? nul);
        }
    }

    /// <summary>
    /// After the runtime has run: closes the process's ends and, with a terminal, takes the master.
    /// False when a terminal was wanted and the runtime sent no master.
    /// </summary>
    public bool CompleteAfterRuntime()
    {
        _childIn?.Dispose();
        _childOut?.Dispose();
        _childErr?.Dispose();
        _childIn = _childOut = _childErr = null;
        if (_console is null)
        {
            if (_stdinWrite is not null)
                Stdin = new ProcessStdin(_stdinWrite, isTerminal: false);
            return true;
        }
        var master = _console.TakeMaster();
        _console.Dispose();
        if (master is null)
            return false;
        Output = master;
        if (_openStdin)
            Stdin = new ProcessStdin(master, isTerminal: true);
        return true;
    }

    /// <summary>What the runtime (or the process) wrote to stderr so far; for error messages.</summary>
    public string? StderrSoFar() => RuntimeCli.ReadAvailable(ErrorOutput);

    public void Dispose()
    {
        Stdin?.Close();
        _stdinWrite?.Dispose();
        _childIn?.Dispose();
        _childOut?.Dispose();
        _childErr?.Dispose();
        _console?.Dispose();
        Output?.Dispose();
        ErrorOutput?.Dispose();
        _devNull.Dispose();
    }

    static int? Fd(SafeFileHandle? handle) => handle is null ? null : (int)handle.DangerousGetHandle();
}
