namespace Berth.Images.Layers;

/// <summary>One range of a user-namespace id map: container ids [ContainerId, ContainerId+Size) are host ids from HostId.</summary>
public readonly record struct IdRange(uint ContainerId, uint HostId, uint Size);

/// <summary>
/// The uid and gid maps of a remapped daemon (dockerd --userns-remap, /etc/subuid and /etc/subgid):
/// files from a layer are owned on disk by the host ids their container ids map to, and a layer
/// taken from disk carries container ids again.
/// </summary>
public sealed class IdMapping(IReadOnlyList<IdRange> uids, IReadOnlyList<IdRange> gids)
{
    public IReadOnlyList<IdRange> Uids { get; } = uids;

    public IReadOnlyList<IdRange> Gids { get; } = gids;

    /// <summary>Host uid and gid of a container's root: the owner of directories a layer implies without listing them.</summary>
    public (uint Uid, uint Gid) RootPair => (ToHost(Uids, 0, "uid"), ToHost(Gids, 0, "gid"));

    public (uint Uid, uint Gid) ToHost(long uid, long gid) => (ToHost(Uids, uid, "uid"), ToHost(Gids, gid, "gid"));

    public (uint Uid, uint Gid) ToContainer(uint uid, uint gid) => (ToContainer(Uids, uid, "uid"), ToContainer(Gids, gid, "gid"));

    static uint ToHost(IReadOnlyList<IdRange> ranges, long id, string what)
    {
        foreach (var r in ranges)
            if (id >= r.ContainerId && id - r.ContainerId < r.Size)
                return (uint)(r.HostId + (id - r.ContainerId));
        throw StoreException.Invalid($"container {what} {id} is not mapped to a host {what} (try increasing the number of subordinate IDs in /etc/sub{what})");
    }

    static uint ToContainer(IReadOnlyList<IdRange> ranges, uint id, string what)
    {
        foreach (var r in ranges)
            if (id >= r.HostId && id - r.HostId < r.Size)
                return r.ContainerId + (id - r.HostId);
        throw StoreException.Invalid($"host {what} {id} is not mapped into the container");
    }
}
