using Berth.Engine.Streams;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>
/// A process exec'd into the container: its own stdio (pipes or pty), output to one connection,
/// and its exit code written to exec-&lt;id&gt;.exit once its output is drained.
/// </summary>
sealed class ExecSession(string id, int pid, ProcessIo io, Task<ExitStatus> exited)
{
    readonly OutputRouter _router = new(log: null, raw: io.Tty);

    public string Id => id;

    public int Pid => pid;

    public ProcessIo Io => io;

    public OutputRouter Router => _router;

    /// <summary>Starts the pumps and a thread that finishes the session when the process has exited.</summary>
    public void Run(Action<ExecSession, int> finished)
    {
        var pumps = new List<Thread> { OutputPump.Start($"exec {id} stdout", io.Output!, StdStream.Stdout, _router) };
        if (io.ErrorOutput is { } stderr)
            pumps.Add(OutputPump.Start($"exec {id} stderr", stderr, StdStream.Stderr, _router));
        ShimThreads.Start($"exec {id}", () =>
        {
            int code = exited.GetAwaiter().GetResult().ShellCode;
            foreach (var pump in pumps)
                pump.Join();
            finished(this, code);
            _router.CloseAll();
            io.Dispose();
        });
    }
}
