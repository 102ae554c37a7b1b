using Berth.Images.Metadata;
using Berth.Images.Snapshots;

namespace Berth.Images.Tests.Metadata;

public sealed class SnapshotRecordsTests : IDisposable
{
    readonly TempRoot _root = new();
    readonly MetadataStore _store;

    public SnapshotRecordsTests() => _store = MetadataStore.Open(_root.Path);

    public void Dispose()
    {
        _store.Dispose();
        _root.Dispose();
    }

    SnapshotRecord Layer(string name, string? parent)
        => _store.Write(tx =>
        {
            var snapshots = tx.Snapshots("overlayfs");
            snapshots.Insert($"extract-{name}", parent, SnapshotKind.Active);
            return snapshots.Commit($"extract-{name}", name);
        });

    static StoreErrorKind Kind(Action action) => Assert.Throws<StoreException>(action).Kind;

    [Fact]
    public void Prepare_commit_and_the_parent_chain()
    {
        var active = _store.Write(tx => tx.Snapshots("overlayfs").Insert("extract-1", null, SnapshotKind.Active, new Dictionary<string, string> { ["l"] = "1" }));
        Assert.Equal((SnapshotKind.Active, (string?)null), (active.Kind, active.Parent));
        var one = _store.Write(tx => tx.Snapshots("overlayfs").Commit("extract-1", "sha256:one"));
        // Same row, same directory; the labels kept when none are given.
        Assert.Equal((active.Id, SnapshotKind.Committed, "1"), (one.Id, one.Kind, one.Labels["l"]));
        Assert.Null(_store.Read(tx => tx.Snapshots("overlayfs").Get("extract-1")));

        var two = Layer("sha256:two", "sha256:one");
        var three = Layer("sha256:three", "sha256:two");
        var container = _store.Write(tx => tx.Snapshots("overlayfs").Insert("container-1", "sha256:three", SnapshotKind.Active));
        Assert.Equal("sha256:three", container.Parent);
        Assert.Equal(three.Id, container.ParentId);
        Assert.Equal(["sha256:three", "sha256:two", "sha256:one"], _store.Read(tx => tx.Snapshots("overlayfs").ParentChain("container-1").Select(s => s.Key).ToList()));
        Assert.Empty(_store.Read(tx => tx.Snapshots("overlayfs").ParentChain("sha256:one")));
        Assert.Equal([one.Id, two.Id, three.Id, container.Id], _store.Read(tx => tx.Snapshots("overlayfs").List().Select(s => s.Id).ToList()));
        Assert.Equal(new HashSet<long> { one.Id, two.Id, three.Id, container.Id }, _store.Read(tx => tx.Snapshots("overlayfs").Ids()));

        var info = _store.Read(tx => tx.Snapshots("overlayfs").Stat("container-1")).ToInfo();
        Assert.Equal(("container-1", "sha256:three", SnapshotKind.Active), (info.Key, info.Parent, info.Kind));
    }

    [Fact]
    public void Refusals()
    {
        Layer("base", null);
        _store.Write(tx => tx.Snapshots("overlayfs").Insert("view", "base", SnapshotKind.View));
        _store.Write(tx => tx.Snapshots("overlayfs").Insert("active", "base", SnapshotKind.Active));
        Assert.Equal(StoreErrorKind.Conflict, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Insert("view", null, SnapshotKind.Active))));
        Assert.Equal(StoreErrorKind.NotFound, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Insert("x", "missing", SnapshotKind.Active))));
        Assert.Equal(StoreErrorKind.InvalidArgument, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Insert("x", "active", SnapshotKind.Active))));
        Assert.Equal(StoreErrorKind.InvalidArgument, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Insert("x", null, SnapshotKind.Committed))));
        Assert.Equal(StoreErrorKind.InvalidArgument, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Commit("view", "v"))));
        Assert.Equal(StoreErrorKind.Conflict, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Commit("active", "base"))));
        Assert.Equal(StoreErrorKind.NotFound, Kind(() => _store.Write(tx => tx.Snapshots("overlayfs").Commit("missing", "m"))));
        Assert.Equal(StoreErrorKind.NotFound, Kind(() => _store.Read(tx => tx.Snapshots("overlayfs").Stat("missing"))));
        Assert.Equal(StoreErrorKind.InvalidArgument, Kind(() => _store.Read(tx => tx.Snapshots("a/b").List())));
        // Parents belong to the same snapshotter.
        Assert.Equal(StoreErrorKind.NotFound, Kind(() => _store.Write(tx => tx.Snapshots("native").Insert("x", "base", SnapshotKind.Active))));
    }

    [Fact]
    public void A_parent_is_removed_only_after_its_children()
    {
        var base1 = Layer("base", null);
        Layer("child", "base");
        var e = Assert.Throws<StoreException>(() => _store.Write(tx => tx.Snapshots("overlayfs").Remove("base")));
        Assert.Equal(StoreErrorKind.Conflict, e.Kind);
        Assert.Contains("parent of 1", e.Message);
        _store.Write(tx => tx.Snapshots("overlayfs").Remove("child"));
        var removed = _store.Write(tx => tx.Snapshots("overlayfs").Remove("base"));
        Assert.Equal(base1.Id, removed.Id);
        Assert.Empty(_store.Read(tx => tx.Snapshots("overlayfs").List()));
    }

    [Fact]
    public void Ids_are_never_reused()
    {
        // The directory of a removed snapshot may still be on its way out when the next one is made.
        var first = Layer("a", null);
        _store.Write(tx => tx.Snapshots("overlayfs").Remove("a"));
        var second = Layer("a", null);
        Assert.True(second.Id > first.Id);
    }

    [Fact]
    public void Snapshotters_have_their_own_keys()
    {
        Layer("same", null);
        _store.Write(tx => tx.Snapshots("native").Insert("same", null, SnapshotKind.Active));
        Assert.Equal(SnapshotKind.Committed, _store.Read(tx => tx.Snapshots("overlayfs").Stat("same").Kind));
        Assert.Equal(SnapshotKind.Active, _store.Read(tx => tx.Snapshots("native").Stat("same").Kind));
    }

    [Fact]
    public void Labels_and_rollback()
    {
        Layer("l", null);
        _store.Write(tx => tx.Snapshots("overlayfs").SetLabels("l", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        _store.Write(tx => tx.Snapshots("overlayfs").SetLabel("l", "a", null));
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, _store.Read(tx => tx.Snapshots("overlayfs").Stat("l").Labels));

        Assert.Throws<InvalidOperationException>(() => _store.Write(tx =>
        {
            tx.Snapshots("overlayfs").Insert("rolled-back", "l", SnapshotKind.Active);
            throw new InvalidOperationException();
        }));
        Assert.Null(_store.Read(tx => tx.Snapshots("overlayfs").Get("rolled-back")));
    }
}
