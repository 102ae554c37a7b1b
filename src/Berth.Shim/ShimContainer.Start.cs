using Berth.Engine.Shims;

namespace Berth.Shim;

/// <summary>The runtime refused to create or start the container (its own message); nothing it made is left.</summary>
sealed class StartFailedException(string message) : Exception(message);

sealed partial class ShimContainer
{
    // Orders the start against what may come before it: a kill that ends the waiting container, a
    // terminal size to give it.
    readonly Lock _lifecycle = new();
    (ushort Rows, ushort Columns)? _sizeBeforeStart;

    /// <summary>
    /// Creates and starts the container and returns its init's pid: one runtime exec
    /// (<c>run --detach</c>), or, when a terminal size was set before, create, the size, start, so
    /// that the process finds that size from its first instruction. On the runtime's refusal
    /// (<see cref="StartFailedException"/>, its message) everything the runtime made is deleted and
    /// the attachers are let go: the shim's work is over.
    /// </summary>
    public int Start()
    {
        (ushort, ushort)? size;
        lock (_lifecycle)
        {
            if (!Status.TryBeginStart())
                throw new CommandException(Status.Phase is ContainerPhase.Starting or ContainerPhase.Running
                    ? $"container {_options.Id} is already started"
                    : $"container {_options.Id} has ended");
            size = _sizeBeforeStart;
        }
        int pid;
        try
        {
            pid = Launch(size);
        }
        catch (Exception e)
        {
            if (e is not StartFailedException)
                ShimLog.Write($"start: {e}");
            string message = e is StartFailedException ? e.Message : $"start {_options.Id}: {e.Message}";
            _io.Dispose();
            // Whatever the runtime made before it failed (its state directory, a cgroup, an init waiting).
            _runtime.Run(["delete", "--force", _options.Id]);
            _router.CloseAll();
            Status.MarkFailed(message);
            throw new StartFailedException(message);
        }
        Status.MarkRunning(pid);
        return pid;
    }

    int Launch((ushort Rows, ushort Columns)? size)
    {
        string pidFile = Path.Combine(_options.StateDirectory, ShimProtocol.InitPidFileName);
        File.Delete(pidFile);
        string verb = size is null ? "run" : "create";
        var command = new List<string> { verb };
        if (size is null)
            command.Add("--detach");
        command.AddRange(["--bundle", _options.Bundle, "--pid-file", pidFile]);
        if (_io.ConsoleSocketPath is { } console)
            command.AddRange(["--console-socket", console]);
        command.Add(_options.Id);
        var launching = _runtime.Start(command, _io);
        BundleFacts facts;
        try
        {
            // While the runtime works: what would otherwise delay the container's output once it is done.
            facts = BundleFacts.Read(_options.Bundle);
            _router.UseLog(OpenLog(_options));
        }
        catch
        {
            // Nothing is cleaned up under a runtime still at work.
            launching.Wait();
            throw;
        }
        var result = launching.Wait();
        if (!result.Succeeded)
            throw new StartFailedException(AsCreateError(result.Error));
        if (!_io.CompleteAfterRuntime())
            throw new StartFailedException($"{Path.GetFileName(_options.Runtime)} {verb} sent no terminal to the console socket");
        if (size is { } terminal)
        {
            Resize(_io, terminal.Rows, terminal.Columns);
            var started = _runtime.Run(["start", _options.Id]);
            if (!started.Succeeded)
                throw new StartFailedException(started.Error);
        }
        int pid = ReadPid(pidFile);
        // The init may have exited already: the reaper keeps the status of a child nobody watched yet.
        _initExited = _reaper.Watch(pid);
        _oom = OomCounter.For(pid, facts.CgroupsPath);
        _sharesPidNamespace = facts.SharesPidNamespace;
        StartPumps();
        return pid;
    }

    /// <summary>
    /// runc names its command in its errors: "runc run failed: unable to start container process:
    /// ...", where its create said "runc create failed: ...". The message reaches the user (Docker
    /// shows it, and grows no wiser for the shim's way of starting): it stays what it was.
    /// </summary>
    static string AsCreateError(string message)
    {
        const string Run = " run failed: ";
        int at = message.IndexOf(Run, StringComparison.Ordinal);
        return at > 0 && !message.AsSpan(0, at).ContainsAny(' ', ':')
            ? string.Concat(message.AsSpan(0, at), " create failed: ", message.AsSpan(at + Run.Length))
            : message;
    }

    /// <summary>
    /// A kill before the start: a container that does not exist yet cannot take a signal, so it is
    /// ended here and never starts (the attachers let go, nothing of the runtime to delete, no exit
    /// to record). False when the container is past waiting for its start.
    /// </summary>
    bool TryEndUnstarted(int signal)
    {
        lock (_lifecycle)
        {
            if (Status.Phase != ContainerPhase.Waiting)
                return false;
            if (signal == 0)
                return true;
            _io.Dispose();
            _router.CloseAll();
            Status.TryEndUnstarted();
            return true;
        }
    }

    /// <summary>A terminal size before the start: kept for it. False when the container is past waiting for its start.</summary>
    bool TryKeepSizeForStart(ushort rows, ushort columns)
    {
        lock (_lifecycle)
        {
            if (Status.Phase != ContainerPhase.Waiting)
                return false;
            _sizeBeforeStart = (rows, columns);
            return true;
        }
    }
}
