using System.Net.Sockets;
using System.Text;
using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

sealed partial class ShimContainer
{
    readonly Lock _execGate = new();
    readonly Dictionary<string, ExecSession> _execs = [];
    int _consoleSockets;

    /// <summary>
    /// runtime exec --detach with the session's stdio; replies <c>ok &lt;pid&gt;</c> and then serves the
    /// connection as the process's stream: its output out, the client's bytes in (end of them
    /// closes the process's stdin).
    /// </summary>
    public void Exec(Socket connection, string execId, bool tty, bool stdin, string processJson, ReadOnlySpan<byte> early)
    {
        if (!ShimProtocol.IsValidExecId(execId))
            throw new CommandException($"invalid exec id {execId}");
        if (!Status.Running)
            throw new CommandException($"container {_options.Id} is not running");
        string pidFile = ShimProtocol.ExecPidFile(_options.StateDirectory, execId);
        lock (_execGate)
            if (_execs.ContainsKey(execId) || File.Exists(pidFile))
                throw new CommandException($"exec {execId} exists already");
        // Short names: a socket path must fit in 108 bytes, and exec ids are 64 characters.
        string console = Path.Combine(_options.StateDirectory, $"e{Interlocked.Increment(ref _consoleSockets)}.sock");
        var io = ProcessIo.Create(tty, stdin, console);
        ExecSession session;
        try
        {
            var command = new List<string> { "exec", "--detach", "--pid-file", pidFile, "--process", processJson };
            if (io.ConsoleSocketPath is { } socket)
                command.AddRange(["--console-socket", socket]);
            command.Add(_options.Id);
            var result = _runtime.Run(command, io);
            if (!result.Succeeded)
                throw new CommandException(result.Error);
            bool terminal = io.CompleteAfterRuntime();
            int pid = ReadPid(pidFile);
            var exited = _reaper.Watch(pid);
            if (!terminal)
            {
                Processes.TryKill(pid, Signals.SIGKILL);
                throw new CommandException($"{Path.GetFileName(_options.Runtime)} exec sent no terminal to the console socket");
            }
            session = new ExecSession(execId, pid, io, exited);
        }
        catch (Exception e)
        {
            io.Dispose();
            if (e is CommandException)
                throw;
            throw new CommandException($"exec {execId}: {e.Message}");
        }
        lock (_execGate)
            _execs[execId] = session;
        session.Router.Add(new OutputTarget(connection, stdout: true, stderr: true), Encoding.ASCII.GetBytes($"{ShimProtocol.Ok} {session.Pid}\n"));
        session.Run(ExecFinished);
        if (stdin && io.Stdin is { } input)
            ForwardInput(connection, input, early, endInputAtEnd: true);
    }

    public void ExecResize(string execId, ushort rows, ushort columns)
    {
        ExecSession? session;
        lock (_execGate)
            _execs.TryGetValue(execId, out session);
        if (session is null)
            throw new CommandException($"no such exec: {execId}");
        if (!session.Io.Tty)
            throw new CommandException($"exec {execId} has no terminal");
        Resize(session.Io, rows, columns);
    }

    /// <summary>Before the stream closes: the client reads the exit code as soon as its stream ends.</summary>
    void ExecFinished(ExecSession session, int exitCode)
    {
        ShimFiles.WriteExecExit(_options.StateDirectory, session.Id, exitCode);
        lock (_execGate)
            _execs.Remove(session.Id);
    }
}
