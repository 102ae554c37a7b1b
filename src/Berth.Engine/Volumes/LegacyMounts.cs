using Berth.Engine.Model;

namespace Berth.Engine.Volumes;

/// <summary>The mounts of a container recorded before mount points were: its <c>-v</c> binds, as they were applied then.</summary>
public static class LegacyMounts
{
    public static IEnumerable<ContainerMountPoint> Of(HostConfig host)
    {
        foreach (string bind in host.Binds ?? [])
        {
            PlannedMount plan;
            try
            {
                plan = MountSpecs.ParseBind(bind);
            }
            catch (EngineException)
            {
                continue;
            }
            if (plan.Point.Type == "bind")
                yield return plan.Point;
        }
    }
}
