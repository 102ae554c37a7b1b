using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Oci;

namespace Berth.Images.Store;

/// <summary>A container that uses an image, as the engine reports it for the conflicts of a removal.</summary>
public sealed record ImageUser(string ContainerId, bool Running);

/// <summary>One line of <c>docker rmi</c>'s answer: a name removed, or an image or layer deleted.</summary>
public sealed record DeleteItem(string? Untagged, string? Deleted)
{
    public override string ToString() => Untagged is not null ? $"Untagged: {Untagged}" : $"Deleted: {Deleted}";
}

public sealed record RemoveOptions
{
    public bool Force { get; init; }

    /// <summary>Keep untagged parents (docker rmi --no-prune).</summary>
    public bool NoPrune { get; init; }

    /// <summary>The containers using an image (by ID); none by default.</summary>
    public Func<Digest, IReadOnlyList<ImageUser>> Users { get; init; } = _ => [];
}

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker tag</c>: gives the image <paramref name="source"/> the name <paramref name="target"/>,
    /// taking it from the image that had it (which becomes dangling if that was its last).
    /// </summary>
    public void Tag(string source, string target)
    {
        var image = Get(source);
        var reference = Reference.ParseNormalized(target);
        if (reference.Digest is not null)
            throw StoreException.Invalid("refusing to create a tag with a digest reference");
        Metadata.Write(tx => SetNames(tx, RecordOf(tx, image.Id), [reference]));
    }

    /// <summary><c>docker rmi</c>, with Docker's rules for untagging, conflicts, and pruning untagged parents.</summary>
    public IReadOnlyList<DeleteItem> Remove(string nameOrId, RemoveOptions? options = null)
    {
        options ??= new RemoveOptions();
        var image = Get(nameOrId);
        var items = new List<DeleteItem>();
        var names = Names(image.Id);
        bool byId = IsIdPrefix(image.Id, nameOrId);
        if (!byId)
        {
            if (!options.Force && IsSingleReference(names) && options.Users(image.Id) is [var user, ..])
                throw StoreException.Conflict($"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {user.ContainerId[..Math.Min(12, user.ContainerId.Length)]} is using its referenced image {image.ShortId}");
            var removed = Reference.ParseNormalized(nameOrId).WithDefaultTag();
            items.AddRange(Untag(image.Id, [removed]));
            names = Names(image.Id);
            if (removed.Digest is null && !names.Any(n => n.Digest is null && n.Name == removed.Name))
            {
                // The name's last tag went: its digest references in that repository go with it.
                var digests = names.Where(n => n.Digest is not null && n.Name == removed.Name).ToList();
                items.AddRange(Untag(image.Id, digests));
                names = Names(image.Id);
            }
            if (names.Count > 0)
                return items;
        }
        else if (IsSingleReference(names))
        {
            if (Conflict(image, options.Force ? ConflictMask.Hard : ConflictMask.Hard | ConflictMask.StoppedContainer, options) is { } conflict)
                throw conflict.Error;
            items.AddRange(Untag(image.Id, names));
        }
        // Removed by its last name, the image goes too unless a container uses it: then it stays, dangling.
        Delete(image, options.Force, !options.NoPrune, quiet: !byId, items, options);
        if (items.Any(i => i.Deleted is not null))
            foreach (var snapshot in CollectGarbage().RemovedSnapshots.Where(s => s.Kind == Snapshots.SnapshotKind.Committed))
                items.Add(new DeleteItem(null, snapshot.Key));
        return items;
    }

    /// <summary>
    /// Docker's imageDeleteHelper: deletes the image unless a conflict forbids it, then its untagged
    /// parents. Quietly, a conflict stops it without an error unless the image is dangling and not in use.
    /// </summary>
    void Delete(Image image, bool force, bool prune, bool quiet, List<DeleteItem> items, RemoveOptions options)
    {
        var mask = force ? ConflictMask.Hard : ConflictMask.Hard | ConflictMask.Soft;
        if (Conflict(image, mask, options) is { } conflict)
        {
            if (quiet && (Names(image.Id).Count > 0 || conflict.Used))
                return;
            throw conflict.Error;
        }
        var parent = ParentOf(image);
        items.AddRange(Untag(image.Id, Names(image.Id)));
        Metadata.Write(tx =>
        {
            foreach (var record in tx.Images.List().Where(r => IdOf(r) == image.Id))
                tx.Images.Delete(record.Name);
        });
        items.Add(new DeleteItem(null, image.Id.ToString()));
        // A parent another image still builds on stays (a build's cache shared by two images), as in Docker.
        if (prune && parent is not null && Names(parent.Id).Count == 0 && Children(parent.Id).Count == 0)
            Delete(parent, force: false, prune: true, quiet: true, items, options);
    }

    [Flags]
    enum ConflictMask
    {
        DependentChild = 1,
        RunningContainer = 2,
        ActiveReference = 4,
        StoppedContainer = 8,
        Hard = DependentChild | RunningContainer,
        Soft = ActiveReference | StoppedContainer,
    }

    /// <summary>Why an image cannot be deleted; <see cref="Used"/> when a container is the reason.</summary>
    sealed record DeleteConflict(StoreException Error, bool Used);

    /// <summary>Docker's checkImageDeleteConflict, in its order.</summary>
    DeleteConflict? Conflict(Image image, ConflictMask mask, RemoveOptions options)
    {
        DeleteConflict Error(bool hard, bool used, string message)
            => new(StoreException.Conflict($"conflict: unable to delete {image.ShortId} ({(hard ? "cannot be forced" : "must be forced")}) - {message}"), used);

        if (mask.HasFlag(ConflictMask.DependentChild) && Children(image.Id).Count > 0)
            return Error(true, false, "image has dependent child images");
        var users = options.Users(image.Id);
        if (mask.HasFlag(ConflictMask.RunningContainer) && users.FirstOrDefault(u => u.Running) is { } running)
            return Error(true, true, $"image is being used by running container {Short(running.ContainerId)}");
        if (mask.HasFlag(ConflictMask.ActiveReference) && Names(image.Id).Count > 0)
            return Error(false, false, "image is referenced in multiple repositories");
        if (mask.HasFlag(ConflictMask.StoppedContainer) && users.FirstOrDefault(u => !u.Running) is { } stopped)
            return Error(false, true, $"image is being used by stopped container {Short(stopped.ContainerId)}");
        return null;
    }

    static string Short(string id) => id[..Math.Min(12, id.Length)];

    /// <summary>Removes names of the image, keeping its dangling record if none is left; the untag lines.</summary>
    List<DeleteItem> Untag(Digest id, IReadOnlyList<Reference> names)
    {
        if (names.Count == 0)
            return [];
        Metadata.Write(tx =>
        {
            var template = RecordOf(tx, id);
            foreach (var name in names)
                tx.Images.Delete(name.ToString());
            SetNames(tx, template, []);
        });
        return [.. names.Select(n => new DeleteItem(n.FamiliarString, null))];
    }

    /// <summary>The names (tags and digests) the image has.</summary>
    List<Reference> Names(Digest id)
        => [.. Metadata.Read(tx => tx.Images.List()).Where(r => IdOf(r) == id && r.Name != id.ToString()).Select(r => Reference.ParseNormalized(r.Name))];

    /// <summary>Images committed or built on <paramref name="id"/>.</summary>
    List<Digest> Children(Digest id)
        => [.. Metadata.Read(tx => tx.Images.List())
            .Where(r => r.Labels.TryGetValue(ParentLabel, out string? p) && p == id.ToString())
            .Select(IdOf).Distinct()];

    static ImageRecord RecordOf(MetadataTransaction tx, Digest id)
        => tx.Images.List().FirstOrDefault(r => IdOf(r) == id) ?? throw StoreException.NotFound($"No such image: {id}");

    static bool IsIdPrefix(Digest id, string reference)
    {
        string hex = reference.StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal) ? reference[(Digest.Sha256.Length + 1)..] : reference;
        return hex.Length > 0 && id.Encoded.StartsWith(hex, StringComparison.Ordinal);
    }

    /// <summary>Docker's isSingleReference: at most one tag, and all names in one repository.</summary>
    static bool IsSingleReference(IReadOnlyList<Reference> names)
    {
        if (names.Count <= 1)
            return names.Count == 1;
        var tags = names.Where(n => n.Digest is null).ToList();
        if (tags.Count > 1)
            return false;
        string single = (tags.Count == 1 ? tags[0] : names[0]).Name;
        return names.All(n => n.Name == single);
    }
}
