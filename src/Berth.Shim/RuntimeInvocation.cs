using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>A runtime process started by <see cref="RuntimeCli.Start"/>: <see cref="Wait"/> once for how it ended.</summary>
sealed class RuntimeInvocation
{
    readonly Task<ExitStatus>? _exited;
    readonly RuntimeResult _notStarted;
    readonly string _what = "";
    readonly string _logPath = "";
    readonly long _logStart;
    readonly SafeFileHandle? _stderr;
    readonly ProcessIo? _io;

    /// <param name="what">The runtime and its command, for a failure that left no message.</param>
    /// <param name="logStart">The length of the runtime's log before it started: its errors are after.</param>
    /// <param name="stderr">The read end of its stderr when it got no stdio of <paramref name="io"/>; owned from now on.</param>
    public RuntimeInvocation(Task<ExitStatus> exited, string what, string logPath, long logStart, SafeFileHandle? stderr, ProcessIo? io)
    {
        _exited = exited;
        _what = what;
        _logPath = logPath;
        _logStart = logStart;
        _stderr = stderr;
        _io = io;
    }

    RuntimeInvocation(RuntimeResult notStarted) => _notStarted = notStarted;

    /// <summary>The runtime could not be started (exit code 127, as a shell reports it).</summary>
    public static RuntimeInvocation NotStarted(string message) => new(new RuntimeResult(127, message));

    /// <summary>Blocks until the runtime has exited; a failure carries the runtime's own message.</summary>
    public RuntimeResult Wait()
    {
        if (_exited is null)
            return _notStarted;
        using (_stderr)
        {
            int code = _exited.GetAwaiter().GetResult().ShellCode;
            if (code == 0)
                return new RuntimeResult(0, "");
            string message = RuntimeLogErrors.Last(_logPath, _logStart) ?? RuntimeCli.ReadAvailable(_stderr) ?? _io?.StderrSoFar() ?? "";
            return new RuntimeResult(code, message.Length == 0 ? $"{_what} failed with exit status {code}" : message);
        }
    }
}
