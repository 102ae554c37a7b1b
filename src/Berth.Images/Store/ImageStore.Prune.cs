namespace Berth.Images.Store;

public sealed record PruneResult(IReadOnlyList<DeleteItem> Deleted, long SpaceReclaimed);

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker image prune</c>: dangling images (no name, no child) not used by a container; with
    /// <paramref name="all"/>, every image no container uses. Space is what the collection freed.
    /// </summary>
    public PruneResult Prune(bool all = false, Func<Oci.Digest, IReadOnlyList<ImageUser>>? users = null)
    {
        var options = new RemoveOptions { Users = users ?? (_ => []) };
        var items = new List<DeleteItem>();
        foreach (var image in List())
        {
            if (TryGet(image.Id.ToString()) is not { } current || options.Users(current.Id).Count > 0 || Children(current.Id).Count > 0)
                continue;
            bool dangling = current.RepoTags.Count == 0 && current.RepoDigests.Count == 0;
            if (!dangling && !all)
                continue;
            items.AddRange(Untag(current.Id, Names(current.Id)));
            Delete(current, force: false, prune: true, quiet: true, items, options);
        }
        var collected = CollectGarbage();
        items.AddRange(collected.RemovedSnapshots.Where(s => s.Kind == Snapshots.SnapshotKind.Committed).Select(s => new DeleteItem(null, s.Key)));
        return new PruneResult(items, collected.BytesReclaimed);
    }
}
