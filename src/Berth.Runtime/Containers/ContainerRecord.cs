using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Containers;

/// <summary>What the runtime remembers of a container between commands (state.json in its state directory).</summary>
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

    /// <summary>The config the container was created from (resources kept current by `update`).</summary>
    public RuntimeSpec Spec { get; set; } = new();

    public CgroupRecord? Cgroup { get; set; }

    /// <summary>Whether the container has a pid namespace of its own: then killing init ends every process.</summary>
    public bool OwnPidNamespace { get; set; }

    public bool Rootless { get; set; }
}
