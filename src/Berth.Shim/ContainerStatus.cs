using Berth.Engine.Shims;

namespace Berth.Shim;

/// <summary>Created, running or exited, and the exit once there is one; waiters block until then.</summary>
sealed class ContainerStatus(int pid)
{
    readonly Lock _gate = new();
    readonly ManualResetEventSlim _exited = new(false);
    bool _running;
    ShimExit? _exit;

    public int Pid => pid;

    public bool Running
    {
        get
        {
            lock (_gate)
                return _running && _exit is null;
        }
    }

    public ShimExit? Exit
    {
        get
        {
            lock (_gate)
                return _exit;
        }
    }

    public void MarkRunning()
    {
        lock (_gate)
            _running = true;
    }

    public void MarkExited(ShimExit exit)
    {
        lock (_gate)
            _exit = exit;
        _exited.Set();
    }

    public ShimExit WaitExit()
    {
        _exited.Wait();
        return Exit!;
    }

    /// <summary>The reply to <c>state</c>.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            if (_exit is { } exit)
                return $"{ShimProtocol.Exited} {exit.ExitCode}";
            return $"{(_running ? ShimProtocol.Running : ShimProtocol.Created)} {pid}";
        }
    }
}
