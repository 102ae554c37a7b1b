using Berth.Engine.Model;
using Berth.Images;

namespace Berth.Engine.Volumes;

/// <summary>
/// A new container's mount points, in Docker's order of precedence (moby daemon/volumes.go registerMountPoints and
/// create_unix.go): <c>--volumes-from</c> first, overridden by <c>-v</c> binds, then <c>--mount</c>s (a destination
/// given twice by these two is an error), and last the image's and the request's VOLUMEs where nothing else is
/// mounted. Checks everything before anything is made.
/// </summary>
public static class MountPlanner
{
    /// <param name="mountsOf">The mount points of a container named in --volumes-from (throws when there is none).</param>
    public static List<PlannedMount> Plan(ContainerConfig config, HostConfig host, Func<string, IReadOnlyList<ContainerMountPoint>> mountsOf)
    {
        var planned = new Dictionary<string, PlannedMount>(StringComparer.Ordinal);
        foreach (string from in host.VolumesFrom ?? [])
        {
            var (container, mode) = VolumesFrom(from);
            foreach (var point in mountsOf(container))
            {
                if (point.Type == "tmpfs")
                    continue;
                var copy = point.Clone();
                copy.RW = point.RW && mode != "ro";
                copy.CopyData = false;
                planned[copy.Destination] = new PlannedMount(copy);
            }
        }
        var explicitly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in (host.Binds ?? []).Select(MountSpecs.ParseBind).Concat((host.Mounts ?? []).Select(MountSpecs.ParseMount)))
        {
            string destination = plan.Point.Destination;
            if (!explicitly.Add(destination))
                throw EngineException.Invalid($"Duplicate mount point: {destination}");
            planned[destination] = plan;
        }
        foreach (string volume in (config.Volumes ?? []).Keys)
        {
            if (!volume.StartsWith('/'))
                throw EngineException.Invalid($"invalid mount config for type \"volume\": invalid mount path: '{volume}' mount path must be absolute");
            string destination = GoPath.Clean(volume);
            if (destination == "/" || planned.ContainsKey(destination))
                continue;
            planned[destination] = new PlannedMount(new ContainerMountPoint
            {
                Type = "volume",
                Destination = destination,
                Driver = LocalDriver.Name,
                CopyData = true,
            });
        }
        return [.. planned.Values];
    }

    /// <summary><c>container[:ro|rw]</c>.</summary>
    public static (string Container, string Mode) VolumesFrom(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon < 0)
            return (spec, "rw");
        string mode = spec[(colon + 1)..];
        if (mode is not ("ro" or "rw"))
            throw EngineException.Invalid($"invalid mode: {mode}");
        return (spec[..colon], mode);
    }

    /// <summary>Parents before children (Docker's sortMounts), so that a mount inside another stays visible.</summary>
    public static IEnumerable<ContainerMountPoint> InMountOrder(IEnumerable<ContainerMountPoint> points)
        => points.OrderBy(p => p.Destination.Count(c => c == '/')).ThenBy(p => p.Destination, StringComparer.Ordinal);
}
