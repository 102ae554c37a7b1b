using Berth.Engine.Model;

namespace Berth.Engine.Archive;

/// <summary>A host directory or file a container has at <see cref="Target"/> (Docker's mount point of a bind or volume).</summary>
public sealed record ContainerBind(string Source, string Target, bool ReadOnly);

/// <summary>The binds a container's configuration asks for: <c>-v /src:/dst[:ro]</c> and <c>--mount</c> binds and volumes.</summary>
public static class ContainerBinds
{
    /// <summary>From the mount points resolved at create: volumes with their data directories, not their names.</summary>
    public static IEnumerable<ContainerBind> Of(Containers.ContainerRecord record)
        => record.MountPoints is { } points
            ? points.Where(p => p.Type is "bind" or "volume").Select(p => new ContainerBind(p.Source, p.Destination, !p.RW))
            : Of(record.HostConfig);

    public static IEnumerable<ContainerBind> Of(HostConfig host)
    {
        foreach (string bind in host.Binds ?? [])
        {
            var parts = bind.Split(':');
            if (parts.Length >= 2)
                yield return new ContainerBind(parts[0], parts[1], parts.Length == 3 && parts[2].Split(',').Contains("ro"));
        }
        foreach (var mount in host.Mounts ?? [])
        {
            if (mount.Type is "bind" or "volume" && !string.IsNullOrEmpty(mount.Target))
                yield return new ContainerBind(mount.Source ?? "", mount.Target, mount.ReadOnly);
        }
    }
}
