using Berth.Engine.Shims;

namespace Berth.Engine.Containers;

/// <summary>
/// A container while the engine knows it: its persisted record, the shim of its current run, and
/// what waiters need. State changes go through <see cref="Lock"/>, one at a time.
/// </summary>
public sealed class Container(ContainerRecord record, string directory)
{
    readonly Lock _waitersLock = new();
    TaskCompletionSource<int> _nextExit = NewExit();
    readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ContainerRecord Record { get; } = record;

    public string Id => Record.Id;

    /// <summary>containers/&lt;id&gt;: config, logs, hostname, hosts, resolv.conf.</summary>
    public string Directory { get; } = directory;

    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The shim of the running container (null when not running).</summary>
    public ShimClient? Shim { get; set; }

    /// <summary>The run's end: completes when the shim reports the exit (live or after a restart).</summary>
    public Task? Monitor { get; set; }

    /// <summary>
    /// Completes once the runtime has deleted the container's last run and its shim's directory is gone
    /// (the shim answers the exit first, so that the engine's clean-up runs meanwhile): a next start,
    /// under the same runtime ID, and a removal wait for it.
    /// </summary>
    public Task RuntimeDeleted { get; set; } = Task.CompletedTask;

    /// <summary>
    /// Completes once the host interfaces of the container's last run are deleted and their addresses free. Nothing of
    /// a container's end waits for that (the kernel's deletion of a link takes 15-40 ms here, more than all the rest of
    /// a removal); its next start does.
    /// </summary>
    public Task NetworkReleased { get; set; } = Task.CompletedTask;

    /// <summary>Completes with the exit code of the next exit after this call.</summary>
    public Task<int> NextExit
    {
        get
        {
            lock (_waitersLock)
                return _nextExit.Task;
        }
    }

    public Task Removed => _removed.Task;

    /// <summary>Attach requests made before the container started: connected to the shim before the process runs, so they see all of its output.</summary>
    public List<PendingAttach> PendingAttaches { get; } = [];

    public void SignalExit(int code)
    {
        TaskCompletionSource<int> done;
        lock (_waitersLock)
        {
            done = _nextExit;
            _nextExit = NewExit();
        }
        done.TrySetResult(code);
    }

    public void SignalRemoved() => _removed.TrySetResult();

    static TaskCompletionSource<int> NewExit() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An attach waiting for its container to start.</summary>
public sealed class PendingAttach(bool stdin, bool stdout, bool stderr)
{
    public bool Stdin { get; } = stdin;

    public bool Stdout { get; } = stdout;

    public bool Stderr { get; } = stderr;

    public TaskCompletionSource<Stream> Stream { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
