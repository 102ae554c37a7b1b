using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Containers;

/// <summary>
/// What the runtime remembers of a container between commands (state.json in its state directory).
/// The config it was created from is kept beside it (config.json) and read only by the commands that
/// need it; state.json stays small and is read without serializer metadata (see <see cref="ContainerRecordJson"/>).
/// </summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";

    public string Bundle { get; set; } = "";

    public string Rootfs { get; set; } = "";

    /// <summary>The init process as the runtime sees it; 0 while creating.</summary>
    public int Pid { get; set; }

    /// <summary>The init process's start time (clock ticks since boot): pid and start time together name it for good.</summary>
    public ulong PidStartTime { get; set; }

    public DateTimeOffset Created { get; set; }

    /// <summary>The user who created it (`list` shows it).</summary>
    public uint OwnerUid { get; set; }

    /// <summary>The config's annotations, for `state` and hooks without reading the whole config.</summary>
    public Dictionary<string, string>? Annotations { get; set; }

    public CgroupRecord? Cgroup { get; set; }

    /// <summary>Whether the container has a pid namespace of its own: then killing init ends every process.</summary>
    public bool OwnPidNamespace { get; set; }

    public bool Rootless { get; set; }
}
