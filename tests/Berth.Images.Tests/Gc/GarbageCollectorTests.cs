using System.Text;
using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.Snapshots;
using Berth.Images.Tests.Metadata;
using Berth.Oci;

namespace Berth.Images.Tests.Gc;

public sealed class GarbageCollectorTests : IDisposable
{
    const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    const string IndexType = "application/vnd.oci.image.index.v1+json";

    readonly TempRoot _root = new();
    readonly ManualTime _time = new(DateTimeOffset.UtcNow);
    readonly FileContentStore _content;
    readonly MetadataStore _metadata;
    readonly DirectorySnapshotCollector _snapshots;
    readonly GarbageCollector _gc;

    public GarbageCollectorTests()
    {
        _content = new FileContentStore(_root.Content);
        _metadata = MetadataStore.Open(_root.Path, new MetadataOptions { Time = _time });
        _snapshots = new DirectorySnapshotCollector(Path.Combine(_root.Path, "snapshots"));
        _gc = new GarbageCollector(_metadata, _content, [_snapshots]);
    }

    public void Dispose()
    {
        _metadata.Dispose();
        _root.Dispose();
    }

    Digest Blob(string text)
    {
        var data = Encoding.UTF8.GetBytes(text);
        using var writer = _content.OpenWriter($"test-{text}", Digest.FromBytes(data));
        writer?.Write(data);
        writer?.Commit();
        return Digest.FromBytes(data);
    }

    /// <summary>A manifest blob with its config and layers, labelled as image operations label them.</summary>
    Digest Manifest(string name, out Digest config, out Digest[] layers)
    {
        config = Blob($"{name}-config");
        layers = [Blob($"{name}-layer-0"), Blob($"{name}-layer-1")];
        var manifest = Blob($"{name}-manifest");
        var labels = GcLabels.ForManifest(config, layers);
        _metadata.Write(tx => tx.Content.Set(manifest, labels));
        return manifest;
    }

    SnapshotRecord Committed(string name, string? parent)
        => _metadata.Write(tx =>
        {
            var snapshots = tx.Snapshots("test");
            var active = snapshots.Insert($"extract-{name}", parent, SnapshotKind.Active);
            _snapshots.Create(active.Id);
            return snapshots.Commit(active.Key, name);
        });

    SnapshotRecord Active(string key, string? parent)
        => _metadata.Write(tx =>
        {
            var active = tx.Snapshots("test").Insert(key, parent, SnapshotKind.Active);
            _snapshots.Create(active.Id);
            return active;
        });

    HashSet<Digest> Present() => _content.List().Select(c => c.Digest).ToHashSet();

    [Fact]
    public void Keeps_what_images_reach_and_removes_the_rest()
    {
        var manifest = Manifest("a", out var config, out var layers);
        var other = Manifest("b", out var otherConfig, out var otherLayers);
        var index = Blob("index");
        _metadata.Write(tx =>
        {
            tx.Content.Set(index, GcLabels.ForIndex([other]));
            tx.Images.Create("a", manifest, ManifestType, 1);
            tx.Images.Create("b", index, IndexType, 1);
        });
        var garbage = new[] { Blob("garbage-1"), Blob("garbage-22") };
        _metadata.Write(tx => tx.Content.SetLabel(garbage[0], "note", "x"));

        var result = _gc.Collect();
        Assert.Equal(garbage.Order(), result.RemovedContent.Order());
        Assert.Equal(9 + 10, result.ContentBytes);
        Assert.Equal(result.ContentBytes, result.BytesReclaimed);
        Assert.Equal(new[] { manifest, config, index, other, otherConfig }.Concat(layers).Concat(otherLayers).ToHashSet(), Present());
        Assert.Empty(_metadata.Read(tx => tx.Content.Get(garbage[0])));

        // Without the image, its manifest, config and layers go, labels with them.
        _metadata.Write(tx => tx.Images.Delete("a"));
        result = _gc.Collect();
        Assert.Equal(new[] { manifest, config }.Concat(layers).Order(), result.RemovedContent.Order());
        Assert.Empty(_metadata.Read(tx => tx.Content.Get(manifest)));
        Assert.Equal(new[] { index, other, otherConfig }.Concat(otherLayers).ToHashSet(), Present());

        // A second collection finds nothing.
        Assert.Empty(_gc.Collect().RemovedContent);
    }

    [Fact]
    public void A_lease_keeps_what_it_holds_until_deleted_or_expired()
    {
        var manifest = Manifest("m", out var config, out var layers);
        var loose = Blob("loose");
        _metadata.Write(tx =>
        {
            tx.Leases.Create("pull", TimeSpan.FromHours(1));
            // The manifest's labels carry the lease on to its config and layers.
            tx.Leases.AddResource("pull", LeaseResource.Content(manifest));
            tx.Leases.Create("forever");
            tx.Leases.AddResource("forever", LeaseResource.Content(loose));
        });
        var result = _gc.Collect();
        Assert.Empty(result.RemovedContent);
        Assert.Equal(0, result.BytesReclaimed);

        _time.Advance(TimeSpan.FromHours(1));
        result = _gc.Collect();
        Assert.Equal(["pull"], result.ExpiredLeases);
        Assert.Equal(new[] { manifest, config }.Concat(layers).Order(), result.RemovedContent.Order());
        Assert.Equal([loose], Present());
        Assert.Null(_metadata.Read(tx => tx.Leases.Get("pull")));

        _metadata.Write(tx => tx.Leases.Delete("forever"));
        Assert.Equal([loose], _gc.Collect().RemovedContent);
    }

    [Fact]
    public void Roots_by_label()
    {
        var pinned = Blob("pinned");
        var child = Blob("child");
        _metadata.Write(tx =>
        {
            tx.Content.SetLabel(pinned, GcLabels.Root, "");
            tx.Content.SetLabel(pinned, "berth.gc.ref.content", child.ToString());
        });
        Assert.Empty(_gc.Collect().RemovedContent);
        Assert.Equal(new[] { pinned, child }.ToHashSet(), Present());
    }

    [Fact]
    public void Snapshots_follow_images_active_snapshots_and_leases()
    {
        var @base = Committed("base", null);
        var mid = Committed("mid", "base");
        var top = Committed("top", "mid");
        var manifest = Manifest("img", out var config, out _);
        _metadata.Write(tx =>
        {
            tx.Content.SetLabel(config, GcLabels.Snapshot("test"), "top");
            tx.Images.Create("img", manifest, ManifestType, 1);
        });
        var x1 = Committed("x1", null);
        var x2 = Committed("x2", "x1");
        var leased = Committed("leased", null);
        _metadata.Write(tx =>
        {
            tx.Leases.Create("unpack");
            tx.Leases.AddResource("unpack", LeaseResource.Snapshot("test", "leased"));
        });
        // Debris: a directory whose row a crash rolled back.
        _snapshots.Create(9999);

        var result = _gc.Collect();
        Assert.Equal(["x2", "x1"], result.RemovedSnapshots.Select(s => s.Key));
        Assert.Equal(300, result.SnapshotBytes);
        Assert.Equal(new[] { @base.Id, mid.Id, top.Id, leased.Id }.Order(), _snapshots.Existing().Order());
        Assert.DoesNotContain(x1.Id, _snapshots.Existing());

        // A container over the image keeps its layers when the image is gone.
        Active("container", "top");
        _metadata.Write(tx => tx.Images.Delete("img"));
        result = _gc.Collect();
        Assert.Empty(result.RemovedSnapshots);
        Assert.DoesNotContain(manifest, Present());

        _metadata.Write(tx => tx.Snapshots("test").Remove("container"));
        result = _gc.Collect();
        Assert.Equal(["top", "mid", "base"], result.RemovedSnapshots.Select(s => s.Key));
        Assert.Equal([leased.Id], _snapshots.Existing());
    }

    [Fact]
    public void Snapshots_of_a_snapshotter_without_a_collector_are_left_alone()
    {
        _metadata.Write(tx =>
        {
            var snapshots = tx.Snapshots("other");
            snapshots.Insert("a", null, SnapshotKind.Active);
            snapshots.Commit("a", "b");
        });
        Assert.Empty(_gc.Collect().RemovedSnapshots);
        Assert.NotNull(_metadata.Read(tx => tx.Snapshots("other").Get("b")));
    }

    [Fact]
    public void Ingests_go_when_stale_unless_leased_or_being_written()
    {
        foreach (string reference in new[] { "stale", "leased", "writing" })
        {
            using var writer = _content.OpenWriter(reference)!;
            writer.Write(new byte[10]);
        }
        using var live = _content.OpenWriter("writing")!;
        _metadata.Write(tx =>
        {
            tx.Leases.Create("l");
            tx.Leases.AddResource("l", LeaseResource.Ingest("leased"));
        });

        Assert.Empty(_gc.Collect().RemovedIngests);
        _time.Now = DateTimeOffset.UtcNow.AddDays(2);
        var result = _gc.Collect();
        Assert.Equal(["stale"], result.RemovedIngests);
        Assert.Equal(10, result.IngestBytes);
        Assert.Equal(["leased", "writing"], _content.Ingests().Select(i => i.Reference).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Collection_and_writes_exclude_each_other()
    {
        // An operation that commits content and then leases it must not be split by a collection.
        Task<GcResult> collecting;
        using (_metadata.HoldCollection())
        {
            collecting = Task.Run(() => _gc.Collect());
            await Task.Delay(300);
            Assert.False(collecting.IsCompleted);
        }
        await collecting.WaitAsync(TimeSpan.FromSeconds(10));

        // And no write transaction runs while the collector has marked but not yet deleted.
        Task writing;
        using (_metadata.LockCollection())
        {
            writing = Task.Run(() => _metadata.Write(tx => tx.Leases.Create("x")));
            await Task.Delay(300);
            Assert.False(writing.IsCompleted);
        }
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
