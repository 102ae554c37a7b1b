using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Containers;

/// <summary>A container as the runtime finds it: its record, its live status, its cgroup.</summary>
internal sealed class Container
{
    readonly ContainerStore _store;
    ICgroupManager? _cgroup;
    RuntimeSpec? _spec;

    public Container(ContainerStore store, ContainerRecord record, RuntimeSpec? spec = null)
    {
        _store = store;
        Record = record;
        _spec = spec;
    }

    public ContainerRecord Record { get; }

    public string Id => Record.Id;

    public string ExecFifo => _store.ExecFifoOf(Id);

    public string SpecPath => _store.ConfigOf(Id);

    /// <summary>The config it was created from, read on first use (most commands never need it).</summary>
    public RuntimeSpec Spec => _spec ??= ReadSpec();

    RuntimeSpec ReadSpec()
    {
        try
        {
            return Oci.OciJson.ReadSpec(_store.ConfigOf(Id));
        }
        catch (Oci.OciFormatException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"config of container {Id}: {e.Message}", e);
        }
    }

    public ICgroupManager Cgroup => _cgroup ??= CgroupManagers.FromRecord(Record.Cgroup ?? new CgroupRecord());

    /// <summary>Where this runtime root keeps compiled seccomp programs.</summary>
    public string SeccompCacheDirectory => _store.SeccompCacheDirectory;

    public static Container Load(ContainerStore store, string id) => new(store, store.Load(id));

    /// <summary>Whether the init process recorded at create time is still alive (not a zombie, not a reused pid).</summary>
    public bool InitAlive()
    {
        if (Record.Pid <= 0)
            return false;
        var start = Processes.StartTime(Record.Pid);
        return start == Record.PidStartTime && !Processes.IsDeadOrZombie(Record.Pid);
    }

    /// <summary>runc's rules: stopped when init is gone; created while the exec fifo exists; paused when frozen.</summary>
    public string Status()
    {
        if (!InitAlive())
            return ContainerStatus.Stopped;
        if (File.Exists(ExecFifo))
            return ContainerStatus.Created;
        if (Record.Cgroup is not null && Cgroup.IsFrozen())
            return ContainerStatus.Paused;
        return ContainerStatus.Running;
    }

    public ContainerState State()
    {
        string status = Status();
        return new ContainerState
        {
            OciVersion = RuntimeInfo.OciVersion,
            Id = Id,
            Pid = status == ContainerStatus.Stopped ? 0 : Record.Pid,
            Status = status,
            Bundle = Record.Bundle,
            Rootfs = Record.Rootfs,
            Created = Record.Created,
            Annotations = Record.Annotations is { Count: > 0 } a ? a : null,
            Owner = "",
        };
    }

    public HookState HookState(string status) => HookStates.For(Id, status, Record.Pid, Record.Bundle, Record.Annotations);

    /// <summary>Every process of the container: from its cgroup, or just init when it has none.</summary>
    public IReadOnlyList<int> Pids()
    {
        if (Record.Cgroup is { Paths.Count: > 0 })
            return Cgroup.Pids();
        return InitAlive() ? [Record.Pid] : [];
    }

    /// <summary>Signals init, or (all) every process in the container's cgroup, frozen meanwhile so none can fork away.</summary>
    public void Signal(int signal, bool all)
    {
        if (!all)
        {
            int errno = Processes.TryKill(Record.Pid, signal);
            if (errno == Errno.ESRCH)
                throw RuntimeError.Conflict("container not running");
            if (errno != 0)
                throw new LinuxException(errno, $"kill {Record.Pid}");
            return;
        }
        bool canFreeze = Record.Cgroup is { Paths.Count: > 0 } && signal == Signals.SIGKILL;
        if (canFreeze)
            Cgroup.Freeze();
        try
        {
            foreach (int pid in Pids())
                Processes.TryKill(pid, signal);
        }
        finally
        {
            if (canFreeze)
                Cgroup.Thaw();
        }
    }

    /// <summary>Kills everything and waits (up to ~10 s) until init is gone.</summary>
    public void KillAndWait()
    {
        if (Status() == ContainerStatus.Paused)
        {
            Signal(Signals.SIGKILL, all: true);
            Cgroup.Thaw();
        }
        else if (!Record.OwnPidNamespace)
            Signal(Signals.SIGKILL, all: true);
        else
            Processes.TryKill(Record.Pid, Signals.SIGKILL);
        for (int i = 0; i < 1000 && InitAlive(); i++)
        {
            Processes.TryReap(Record.Pid);
            Thread.Sleep(10);
        }
        if (InitAlive())
            throw new RuntimeError(ErrorKind.Internal, $"container init {Record.Pid} did not exit after SIGKILL");
    }

    /// <summary>Removes what the container holds on the host: leftover processes, cgroup, state directory.</summary>
    public void Destroy()
    {
        if (Record.Cgroup is { Paths.Count: > 0 })
        {
            // Without a pid namespace of its own, processes may outlive init.
            if (Cgroup.Pids().Count > 0)
            {
                Signal(Signals.SIGKILL, all: true);
                for (int i = 0; i < 200 && Cgroup.Pids().Count > 0; i++)
                    Thread.Sleep(5);
            }
            Cgroup.Destroy();
        }
        _store.Remove(Id);
    }
}
