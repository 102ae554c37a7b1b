using Berth.Engine.Shims;

namespace Berth.Shim;

/// <summary>Where the container is in its life (see <see cref="ContainerStatus"/>).</summary>
enum ContainerPhase
{
    /// <summary>The shim serves, the container does not exist yet: attachers gather, a terminal size is kept.</summary>
    Waiting,

    /// <summary>The runtime is creating and starting it.</summary>
    Starting,

    Running,

    /// <summary>Its init has exited (the exit is recorded), or it was ended before it ever started (no exit).</summary>
    Ended,

    /// <summary>The runtime refused to start it; everything it made is gone.</summary>
    Failed,
}

/// <summary>
/// The container's phase, its init's pid once it runs and its exit once it has one. Threads that
/// need the outcome of the start (the main thread, an attacher's stdin, a kill or resize that came
/// during the start) block until the phase has settled; waiters block until the end.
/// </summary>
sealed class ContainerStatus
{
    readonly object _gate = new();
    ContainerPhase _phase = ContainerPhase.Waiting;
    int _pid;
    ShimExit? _exit;
    bool _deleted;
    string _failure = "";

    public ContainerPhase Phase
    {
        get
        {
            lock (_gate)
                return _phase;
        }
    }

    /// <summary>The init's pid; 0 until the container runs.</summary>
    public int Pid
    {
        get
        {
            lock (_gate)
                return _pid;
        }
    }

    public bool Running => Phase == ContainerPhase.Running;

    public ShimExit? Exit
    {
        get
        {
            lock (_gate)
                return _exit;
        }
    }

    /// <summary>Waiting to starting; false (and nothing changes) in any other phase.</summary>
    public bool TryBeginStart() => TryMove(ContainerPhase.Waiting, ContainerPhase.Starting);

    /// <summary>Waiting to ended, without an exit: the container is never to start.</summary>
    public bool TryEndUnstarted() => TryMove(ContainerPhase.Waiting, ContainerPhase.Ended);

    public void MarkRunning(int pid)
    {
        lock (_gate)
        {
            _pid = pid;
            _phase = ContainerPhase.Running;
            Monitor.PulseAll(_gate);
        }
    }

    public void MarkFailed(string message)
    {
        lock (_gate)
        {
            _failure = message;
            _phase = ContainerPhase.Failed;
            Monitor.PulseAll(_gate);
        }
    }

    public void MarkExited(ShimExit exit)
    {
        lock (_gate)
        {
            _exit = exit;
            _phase = ContainerPhase.Ended;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>After the exit: the runtime has deleted the container (its ID is free again).</summary>
    public void MarkDeleted()
    {
        lock (_gate)
        {
            _deleted = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks from the exit until the runtime has deleted the container; at once in any other phase.</summary>
    public void WaitDeleted()
    {
        lock (_gate)
        {
            while (_phase == ContainerPhase.Ended && _exit is not null && !_deleted)
                Monitor.Wait(_gate);
        }
    }

    /// <summary>Blocks while the container waits for its start or is being started; then the phase.</summary>
    public ContainerPhase WaitSettled()
    {
        lock (_gate)
        {
            while (_phase is ContainerPhase.Waiting or ContainerPhase.Starting)
                Monitor.Wait(_gate);
            return _phase;
        }
    }

    /// <summary>Blocks until the end: the exit, or null when the container never ran (ended unstarted, or failed to start).</summary>
    public ShimExit? WaitExit()
    {
        lock (_gate)
        {
            while (_phase is not (ContainerPhase.Ended or ContainerPhase.Failed))
                Monitor.Wait(_gate);
            return _exit;
        }
    }

    /// <summary>The reply to <c>state</c>.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _phase switch
            {
                ContainerPhase.Waiting or ContainerPhase.Starting => ShimProtocol.Waiting,
                ContainerPhase.Running => $"{ShimProtocol.Running} {_pid}",
                ContainerPhase.Ended when _exit is { } exit => $"{ShimProtocol.Exited} {exit.ExitCode}",
                ContainerPhase.Ended => $"{ShimProtocol.Error} the container was ended before it started",
                _ => $"{ShimProtocol.Error} {_failure.ReplaceLineEndings(" ")}",
            };
        }
    }

    bool TryMove(ContainerPhase from, ContainerPhase to)
    {
        lock (_gate)
        {
            if (_phase != from)
                return false;
            _phase = to;
            Monitor.PulseAll(_gate);
            return true;
        }
    }
}
