using Berth.Engine.Logs;
using Berth.Engine.Shims;
using Berth.Engine.Streams;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>The runtime refused to create the container; the message is its own.</summary>
sealed class CreateFailedException(string message) : Exception(message);

/// <summary>
/// The one container this shim runs: created through the runtime with stdio the shim holds,
/// then served (<see cref="ControlServer"/>) until its init exits, then recorded and deleted.
/// </summary>
sealed partial class ShimContainer
{
    readonly ShimOptions _options;
    readonly RuntimeCli _runtime;
    readonly Reaper _reaper;
    readonly ProcessIo _io;
    readonly OutputRouter _router;
    readonly Task<ExitStatus> _initExited;
    readonly OomCounter _oom;
    readonly bool _sharesPidNamespace;
    Thread[] _pumps = [];

    ShimContainer(ShimOptions options, RuntimeCli runtime, Reaper reaper, ProcessIo io, int pid, Task<ExitStatus> initExited)
    {
        _options = options;
        _runtime = runtime;
        _reaper = reaper;
        _io = io;
        _initExited = initExited;
        Status = new ContainerStatus(pid);
        _oom = OomCounter.ForProcess(pid);
        _sharesPidNamespace = SamePidNamespace(pid);
        _router = new OutputRouter(OpenLog(options), raw: options.Tty);
    }

    public ContainerStatus Status { get; }

    /// <summary>
    /// runtime create with the shim's stdio; on failure nothing is left (runtime state, sockets) and
    /// the runtime's message is thrown. <paramref name="whileCreating"/> runs meanwhile: what the
    /// shim needs only once the container exists is made then, not before the runtime starts.
    /// </summary>
    public static ShimContainer Create(ShimOptions options, RuntimeCli runtime, Reaper reaper, Action whileCreating)
    {
        string pidFile = Path.Combine(options.StateDirectory, ShimProtocol.InitPidFileName);
        File.Delete(pidFile);
        var io = ProcessIo.Create(options.Tty, options.OpenStdin, Path.Combine(options.StateDirectory, ShimProtocol.ConsoleSocketName));
        try
        {
            var command = new List<string> { "create", "--bundle", options.Bundle, "--pid-file", pidFile };
            if (io.ConsoleSocketPath is { } console)
                command.AddRange(["--console-socket", console]);
            command.Add(options.Id);
            var creating = runtime.Start(command, io);
            try
            {
                whileCreating();
            }
            catch
            {
                // Nothing is cleaned up under a runtime still at work.
                creating.Wait();
                throw;
            }
            var result = creating.Wait();
            if (!result.Succeeded)
                throw new CreateFailedException(result.Error);
            if (!io.CompleteAfterRuntime())
                throw new CreateFailedException($"{Path.GetFileName(options.Runtime)} create sent no terminal to the console socket");
            int pid = ReadPid(pidFile);
            var container = new ShimContainer(options, runtime, reaper, io, pid, reaper.Watch(pid));
            container.StartPumps();
            return container;
        }
        catch (Exception e)
        {
            io.Dispose();
            // Whatever the runtime made before it failed (its state directory, a cgroup, an init waiting).
            runtime.Run(["delete", "--force", options.Id]);
            if (e is CreateFailedException)
                throw;
            throw new CreateFailedException($"create {options.Id}: {e.Message}");
        }
    }

    /// <summary>
    /// Blocks until the init process has exited, then: drains its output, completes the log,
    /// closes the attachers, writes exit.json, deletes the container from the runtime, and only
    /// then answers waiters.
    /// </summary>
    public ShimExit RunUntilExit()
    {
        var status = _initExited.GetAwaiter().GetResult();
        var finishedAt = DateTimeOffset.UtcNow;
        // With its own pid namespace the kernel ends every process of the container with its init;
        // without, leftovers would hold the output pipes open for ever.
        if (_sharesPidNamespace)
            _runtime.Run(["kill", "--all", _options.Id, "KILL"]);
        foreach (var pump in _pumps)
            pump.Join();
        _router.CloseAll();
        _io.Dispose();
        var exit = new ShimExit(status.ShellCode, finishedAt, _oom.Killed());
        ShimFiles.WriteExit(_options.StateDirectory, exit);
        var deleted = _runtime.Run(["delete", _options.Id]);
        if (!deleted.Succeeded)
        {
            ShimLog.Write($"delete {_options.Id}: {deleted.Error}; forcing");
            _runtime.Run(["delete", "--force", _options.Id]);
        }
        Status.MarkExited(exit);
        return exit;
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
            : throw new CreateFailedException($"pid file {pidFile} holds \"{text}\", not a pid");
    }

    static bool SamePidNamespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget == new FileInfo("/proc/self/ns/pid").LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
