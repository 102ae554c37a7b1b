using Berth.Engine.Logs;
using Berth.Engine.Shims;
using Berth.Engine.Streams;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>
/// The one container this shim runs: prepared (its stdio, attachers welcome) before it exists,
/// created and started through the runtime when berthd says start, served
/// (<see cref="ControlServer"/>) until its init exits, then recorded and deleted.
/// </summary>
sealed partial class ShimContainer
{
    readonly ShimOptions _options;
    readonly RuntimeCli _runtime;
    readonly Reaper _reaper;
    readonly ProcessIo _io;
    readonly OutputRouter _router;
    // Set by the start, before the phase says running.
    Task<ExitStatus>? _initExited;
    OomCounter? _oom;
    bool _sharesPidNamespace;
    Thread[] _pumps = [];

    ShimContainer(ShimOptions options, RuntimeCli runtime, Reaper reaper, ProcessIo io)
    {
        _options = options;
        _runtime = runtime;
        _reaper = reaper;
        _io = io;
        // The log is opened by the start, while the runtime works (UseLog): one ended before its start leaves none.
        _router = new OutputRouter(null, raw: options.Tty);
    }

    public ContainerStatus Status { get; } = new();

    /// <summary>The stdio the container will get (pipes, or a console socket for its terminal); nothing of the runtime yet.</summary>
    public static ShimContainer Prepare(ShimOptions options, RuntimeCli runtime, Reaper reaper)
    {
        var io = ProcessIo.Create(options.Tty, options.OpenStdin, Path.Combine(options.StateDirectory, ShimProtocol.ConsoleSocketName));
        return new ShimContainer(options, runtime, reaper, io);
    }

    /// <summary>
    /// Blocks until the container has run and exited (then <see cref="RunUntilExit"/>'s work is
    /// done), or until it is clear that it never will: ended before its start, or refused by the
    /// runtime. True when it ran.
    /// </summary>
    public bool RunToEnd()
    {
        if (Status.WaitSettled() != ContainerPhase.Running)
            return false;
        RunUntilExit();
        return true;
    }

    /// <summary>
    /// Blocks until the init process has exited, then deletes the container from the runtime while it drains
    /// the output, completes the log, closes the attachers, writes exit.json and answers waiters (waiters learn
    /// the end of the delete from their connection's end, see <see cref="ShimProtocol.Wait"/>), so that
    /// berthd's own clean-up runs while the runtime's does. The delete starts at once: its process start-up
    /// is the longest step after an exit, and the container's processes are all gone by then.
    /// </summary>
    ShimExit RunUntilExit()
    {
        var status = _initExited!.GetAwaiter().GetResult();
        var finishedAt = DateTimeOffset.UtcNow;
        // With its own pid namespace the kernel ends every process of the container with its init;
        // without, leftovers would hold the output pipes open for ever.
        if (_sharesPidNamespace)
            _runtime.Run(["kill", "--all", _options.Id, "KILL"]);
        // The OOM counter lives in the container's memory cgroup, which the delete removes.
        bool oomKilled = _oom?.Killed() == true;
        var deleting = _runtime.Start(["delete", _options.Id]);
        try
        {
            foreach (var pump in _pumps)
                pump.Join();
            _router.CloseAll();
            _io.Dispose();
            var exit = new ShimExit(status.ShellCode, finishedAt, oomKilled);
            ShimFiles.WriteExit(_options.StateDirectory, exit);
            Status.MarkExited(exit);
            return exit;
        }
        finally
        {
            var deleted = deleting.Wait();
            if (!deleted.Succeeded)
            {
                ShimLog.Write($"delete {_options.Id}: {deleted.Error}; forcing");
                _runtime.Run(["delete", "--force", _options.Id]);
            }
            Status.MarkDeleted();
        }
    }

    void StartPumps()
    {
        var pumps = new List<Thread> { OutputPump.Start("stdout", _io.Output!, StdStream.Stdout, _router) };
        if (_io.ErrorOutput is { } stderr)
            pumps.Add(OutputPump.Start("stderr", stderr, StdStream.Stderr, _router));
        _pumps = [.. pumps];
    }

    static IContainerLogWriter? OpenLog(ShimOptions options)
    {
        if (options.Log is not { } config || config.Type == "none")
            return null;
        try
        {
            return LogDrivers.Create(config, options.LogPath ?? "", options.LogAttributes);
        }
        catch (Exception e)
        {
            // The container runs anyway, as with Docker when a driver fails after start.
            ShimLog.Write($"log driver {config.Type}: {e.Message}; no logs");
            return null;
        }
    }

    static int ReadPid(string pidFile)
    {
        string text = File.ReadAllText(pidFile).Trim();
        return int.TryParse(text, out int pid) && pid > 0
            ? pid
            : throw new StartFailedException($"pid file {pidFile} holds \"{text}\", not a pid");
    }
}
