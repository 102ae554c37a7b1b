using Berth.Images.Store;

namespace Berth.Images.Tests.Store;

/// <summary>docker rmi, tag and image prune: Docker's untag-first rules, conflicts and texts, pruning untagged parents.</summary>
public sealed class RemoveTests : IDisposable
{
    readonly StoreFixture _fixture = new();

    ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Removing_one_of_two_names_only_untags()
    {
        var image = _fixture.ImportBusybox("one:1");
        Store.Tag("one:1", "two");
        Assert.Equal(["one:1", "two:latest"], Store.Get(image.ShortId).RepoTags.Order(StringComparer.Ordinal));

        var error = Assert.Throws<StoreException>(() => Store.Remove(image.ShortId));
        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is referenced in multiple repositories", error.Message);

        Assert.Equal(["Untagged: two:latest"], Store.Remove("two").Select(i => i.ToString()));
        Assert.Equal(image.Id, Store.Get("one:1").Id);

        var items = Store.Remove("one:1").Select(i => i.ToString()).ToList();
        Assert.Equal("Untagged: one:1", items[0]);
        Assert.Equal($"Deleted: {image.Id}", items[1]);
        Assert.Empty(Store.List());
        Assert.Empty(Store.Content.List());
    }

    [Fact]
    public void A_parent_two_builds_share_stays_when_one_goes()
    {
        var base_ = _fixture.ImportBusybox("base:1");
        var history = new Berth.Oci.Image.History { CreatedBy = "step" };
        var shared = Store.CommitConfig(base_, base_.Config, history);
        var left = Store.CommitConfig(shared, shared.Config with { Author = "left" }, history);
        var right = Store.CommitConfig(shared, shared.Config with { Author = "right" }, history);
        Store.Tag(left.Id.ToString(), "left:1");
        Store.Tag(right.Id.ToString(), "right:1");

        var items = Store.Remove("left:1").Select(i => i.ToString()).ToList();
        Assert.Equal(["Untagged: left:1", $"Deleted: {left.Id}"], items);
        Assert.NotNull(Store.TryGet(shared.Id.ToString()));
        Assert.Empty(Store.Prune().Deleted);
        Assert.NotNull(Store.TryGet(shared.Id.ToString()));

        items = Store.Remove("right:1").Select(i => i.ToString()).ToList();
        Assert.Equal(["Untagged: right:1", $"Deleted: {right.Id}", $"Deleted: {shared.Id}"], items);
    }

    [Fact]
    public void Containers_and_children_hold_an_image()
    {
        var image = _fixture.ImportBusybox("base:1");
        var stopped = new RemoveOptions { Users = id => id == image.Id ? [new ImageUser("c0ffee0123456789", false)] : [] };
        var running = new RemoveOptions { Users = id => id == image.Id ? [new ImageUser("beef00112233445566", true)] : [] };

        Assert.Equal("conflict: unable to remove repository reference \"base:1\" (must force) - container c0ffee012345 is using its referenced image " + image.ShortId,
            Assert.Throws<StoreException>(() => Store.Remove("base:1", stopped)).Message);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is being used by stopped container c0ffee012345",
            Assert.Throws<StoreException>(() => Store.Remove(image.Id.ToString(), stopped)).Message);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (cannot be forced) - image is being used by running container beef00112233",
            Assert.Throws<StoreException>(() => Store.Remove(image.Id.ToString(), running with { Force = true })).Message);
        Assert.Equal(image.Id, Store.Get("base:1").Id);

        // A forced removal by name while a running container uses it only untags: the image stays, dangling.
        Assert.Equal(["Untagged: base:1"], Store.Remove("base:1", running with { Force = true }).Select(i => i.ToString()));
        Assert.Empty(Store.Get(image.ShortId).RepoTags);

        var root = _fixture.MountContainer(Store.Get(image.ShortId), "child-work");
        File.WriteAllText(Path.Combine(root, "x"), "x");
        var child = Store.Commit("child-work", Store.Get(image.ShortId), new CommitOptions { Names = [Berth.Images.References.Reference.ParseNormalized("child:1")] });
        Assert.Equal($"conflict: unable to delete {image.ShortId} (cannot be forced) - image has dependent child images",
            Assert.Throws<StoreException>(() => Store.Remove(image.ShortId, new RemoveOptions { Force = true })).Message);

        // Removing the child prunes its untagged parent.
        Berth.Images.Snapshots.SnapshotMounts.Unmount(root);
        Store.Snapshotter.Remove("child-work");
        var items = Store.Remove("child:1").Select(i => i.ToString()).ToList();
        Assert.Equal(["Untagged: child:1", $"Deleted: {child.Id}", $"Deleted: {image.Id}"], items.Take(3));
        Assert.Contains($"Deleted: {image.ChainId}", items);
        Assert.Empty(Store.List());
        Assert.Empty(Store.Snapshotter.Walk());
    }

    [Fact]
    public void A_moved_tag_leaves_a_dangling_image_that_prune_removes()
    {
        var first = _fixture.ImportBusybox("app:1");
        var root = _fixture.MountContainer(first, "w");
        File.WriteAllText(Path.Combine(root, "v2"), "2");
        var second = Store.Commit("w", first, new CommitOptions { Names = [Berth.Images.References.Reference.ParseNormalized("app:1")] });
        Assert.Equal(second.Id, Store.Get("app:1").Id);
        Assert.Empty(Store.Get(first.ShortId).RepoTags);
        Assert.Equal(2, Store.List().Count);

        // The dangling one is second's parent: not pruned while second exists (it has a child).
        Assert.DoesNotContain(Store.Prune().Deleted, d => d.Deleted == first.Id.ToString());
        Berth.Images.Snapshots.SnapshotMounts.Unmount(root);
        Store.Snapshotter.Remove("w");

        var other = _fixture.ImportBusybox("other:1");
        Store.Tag("app:1", "other:1"); // other's image loses its only name
        var pruned = Store.Prune();
        Assert.Contains(pruned.Deleted, d => d.Deleted == other.Id.ToString());
        Assert.True(pruned.SpaceReclaimed >= 0);
        Assert.Equal(second.Id, Store.Get("other:1").Id);

        var all = Store.Prune(all: true);
        Assert.Contains(all.Deleted, d => d.Untagged == "app:1");
        Assert.Contains(all.Deleted, d => d.Deleted == second.Id.ToString());
        Assert.Contains(all.Deleted, d => d.Deleted == first.Id.ToString());
        Assert.True(all.SpaceReclaimed > 500_000);
        Assert.Empty(Store.List());
    }

    [Fact]
    public void Bad_names_get_Dockers_errors()
    {
        _fixture.ImportBusybox("good:1");
        Assert.Equal("invalid reference format: repository name (library/UPPER) must be lowercase",
            Assert.Throws<StoreException>(() => Store.Tag("good:1", "UPPER")).Message);
        Assert.Equal("refusing to create a tag with a digest reference",
            Assert.Throws<StoreException>(() => Store.Tag("good:1", "x@sha256:" + new string('a', 64))).Message);
    }
}
