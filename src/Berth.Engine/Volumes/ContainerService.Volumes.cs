using Berth.Engine.Model;
using Berth.Engine.Volumes;

namespace Berth.Engine.Containers;

// The volume side of containers' lives, kept beside the volumes: the shared lifecycle files call these in one line each.
public sealed partial class ContainerService
{
    /// <summary>The engine's volumes (set once when the engine is wired).</summary>
    public VolumeService Volumes { get; set; } = null!;

    /// <summary>Checks a new container's mounts (Docker's errors for bad ones) before anything of it exists.</summary>
    List<PlannedMount> PlanMounts(ContainerConfig config, HostConfig host)
        => MountPlanner.Plan(config, host, name => Volumes.MountsOf(Store.Get(name)));

    /// <summary>Creates the container's volumes and copies the image's content into new ones; records its mount points.</summary>
    void RealizeMounts(Container container, List<PlannedMount> plan)
        => Volumes.Realize(plan, container.Record, () => Images.MountSnapshot(container.Id));

    /// <summary>After the container's record is gone: its anonymous volumes, when asked (rm -v, --rm, a failed create).</summary>
    void ReleaseVolumes(Container container, bool removeAnonymous)
    {
        if (removeAnonymous)
            Volumes.RemoveAnonymous(container.Record);
    }
}
