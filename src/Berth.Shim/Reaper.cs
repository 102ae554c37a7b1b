using Berth.Linux;

namespace Berth.Shim;

/// <summary>
/// The shim is a child subreaper: the container's init, the runtime's invocations, exec'd
/// processes and every orphan of the container end up as its children. One thread reaps them all
/// (waitpid(-1)) and hands each status to whoever watches that pid. Watching a pid that has been
/// reaped already still gets its status (kept for a while), so that a spawner can never miss the
/// exit of a child that ends before it starts watching.
/// </summary>
sealed class Reaper
{
    const int KeptStatuses = 1024;

    readonly Lock _gate = new();
    readonly Dictionary<int, TaskCompletionSource<ExitStatus>> _watched = [];
    readonly Dictionary<int, ExitStatus> _unclaimed = [];
    readonly Queue<int> _unclaimedOrder = new();
    readonly AutoResetEvent _childAdded = new(false);

    public void Start()
    {
        var thread = new Thread(Loop, ShimThreads.StackSize) { IsBackground = true, Name = "reaper" };
        thread.Start();
    }

    /// <summary>Starts a child and its watch in one step: the reaper cannot hand its status to nobody.</summary>
    public (int Pid, Task<ExitStatus> Exited) Spawn(SpawnOptions options)
    {
        lock (_gate)
        {
            int pid = Processes.Spawn(options);
            var exited = WatchLocked(pid);
            _childAdded.Set();
            return (pid, exited);
        }
    }

    /// <summary>The exit of a process that is (or was) our child: the container's init, an exec'd process.</summary>
    public Task<ExitStatus> Watch(int pid)
    {
        lock (_gate)
        {
            var exited = WatchLocked(pid);
            _childAdded.Set();
            return exited;
        }
    }

    Task<ExitStatus> WatchLocked(int pid)
    {
        if (_unclaimed.Remove(pid, out var status))
            return Task.FromResult(status);
        if (!_watched.TryGetValue(pid, out var exited))
            _watched[pid] = exited = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        return exited.Task;
    }

    void Loop()
    {
        while (true)
        {
            var (pid, status) = Processes.ReapAny(block: true);
            if (pid <= 0)
            {
                // No child at all (ECHILD): sleep until one is spawned. The timeout only guards
                // against an orphan adopted without any spawn of ours, which cannot happen today.
                _childAdded.WaitOne(1000);
                continue;
            }
            lock (_gate)
            {
                if (_watched.Remove(pid, out var exited))
                {
                    exited.SetResult(status);
                    continue;
                }
                // An orphan of the container, or a child reaped before its spawner watched it.
                if (_unclaimedOrder.Count >= KeptStatuses && _unclaimedOrder.TryDequeue(out int oldest))
                    _unclaimed.Remove(oldest);
                _unclaimed[pid] = status;
                _unclaimedOrder.Enqueue(pid);
            }
        }
    }
}
