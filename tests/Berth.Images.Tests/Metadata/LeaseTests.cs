using Berth.Images.Content;
using Berth.Images.Metadata;
using Berth.Oci;

namespace Berth.Images.Tests.Metadata;

public sealed class LeaseTests : IDisposable
{
    static readonly Digest A = Digest.FromBytes("a"u8);

    readonly TempRoot _root = new();
    readonly ManualTime _time = new(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
    readonly MetadataStore _store;

    public LeaseTests() => _store = MetadataStore.Open(_root.Path, new MetadataOptions { Time = _time });

    public void Dispose()
    {
        _store.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void Create_list_and_delete()
    {
        var lease = _store.Write(tx => tx.Leases.Create("pull-1", TimeSpan.FromHours(1), new Dictionary<string, string> { ["op"] = "pull" }));
        Assert.Equal((_time.Now, _time.Now.AddHours(1), "pull"), (lease.Created, lease.Expires!.Value, lease.Labels["op"]));
        _store.Write(tx => tx.Leases.Create("forever"));
        Assert.Null(_store.Read(tx => tx.Leases.Get("forever"))!.Expires);
        Assert.Equal(StoreErrorKind.Conflict, Assert.Throws<StoreException>(() => _store.Write(tx => tx.Leases.Create("pull-1"))).Kind);
        Assert.Equal(["forever", "pull-1"], _store.Read(tx => tx.Leases.List().Select(l => l.Id).ToList()));
        Assert.True(_store.Write(tx => tx.Leases.Delete("pull-1")));
        Assert.False(_store.Write(tx => tx.Leases.Delete("pull-1")));
    }

    [Fact]
    public void Resources()
    {
        _store.Write(tx => tx.Leases.Create("l"));
        var content = LeaseResource.Content(A);
        var snapshot = LeaseResource.Snapshot("overlayfs", "extract-1");
        var ingest = LeaseResource.Ingest("pull-x");
        _store.Write(tx =>
        {
            tx.Leases.AddResource("l", content);
            tx.Leases.AddResource("l", content);
            tx.Leases.AddResource("l", snapshot);
            tx.Leases.AddResource("l", ingest);
        });
        Assert.Equal([content, ingest, snapshot], _store.Read(tx => tx.Leases.Resources("l")));
        Assert.True(_store.Write(tx => tx.Leases.RemoveResource("l", ingest)));
        Assert.False(_store.Write(tx => tx.Leases.RemoveResource("l", ingest)));
        Assert.Equal(StoreErrorKind.NotFound, Assert.Throws<StoreException>(() => _store.Write(tx => tx.Leases.AddResource("none", content))).Kind);
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => _store.Write(tx => tx.Leases.AddResource("l", new LeaseResource(LeaseResourceKind.Snapshot, "k")))).Kind);

        // Deleting the lease deletes its resource list with it.
        _store.Write(tx => tx.Leases.Delete("l"));
        _store.Write(tx => tx.Leases.Create("l"));
        Assert.Empty(_store.Read(tx => tx.Leases.Resources("l")));
    }

    [Fact]
    public void Expiry()
    {
        _store.Write(tx => tx.Leases.Create("short", TimeSpan.FromMinutes(5)));
        _store.Write(tx => tx.Leases.AddResource("short", LeaseResource.Content(A)));
        Assert.Single(_store.Read(tx => tx.Leases.LiveResources()));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(_store.Read(tx => tx.Leases.Get("short"))!.IsExpired(_time.Now));
        Assert.Empty(_store.Read(tx => tx.Leases.LiveResources()));
        // An expired lease protects nothing, so adding to it would be a false promise.
        Assert.Equal(StoreErrorKind.Conflict, Assert.Throws<StoreException>(() => _store.Write(tx => tx.Leases.AddResource("short", LeaseResource.Content(A)))).Kind);

        _store.Write(tx => tx.Leases.SetExpiry("short", _time.Now.AddHours(1)));
        Assert.Single(_store.Read(tx => tx.Leases.LiveResources()));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["short"], _store.Write(tx => tx.Leases.DeleteExpired()));
        Assert.Null(_store.Read(tx => tx.Leases.Get("short")));
    }

    [Fact]
    public void A_handle_leases_before_it_writes_and_goes_when_disposed()
    {
        var content = new FileContentStore(_root.Content);
        var data = new byte[] { 1, 2, 3 };
        string id;
        using (var lease = LeaseHandle.Create(_store, labels: new Dictionary<string, string> { ["op"] = "test" }))
        {
            id = lease.Id;
            Assert.Equal(_time.Now + LeaseHandle.DefaultExpiry, _store.Read(tx => tx.Leases.Get(id))!.Expires);
            using (var writer = lease.OpenWriter(content, "pull-a", Digest.FromBytes(data), data.Length)!)
            {
                // Leased before a byte is written.
                Assert.Equal([LeaseResource.Content(Digest.FromBytes(data))], _store.Read(tx => tx.Leases.Resources(id)));
                writer.Write(data);
                writer.Commit();
            }
            using (var writer = content.OpenWriter("create-b")!)
            {
                writer.Write([4, 5]);
                var digest = lease.Commit(writer);
                Assert.Contains(LeaseResource.Content(digest), _store.Read(tx => tx.Leases.Resources(id)));
            }
            Assert.Null(lease.OpenWriter(content, "pull-a-again", Digest.FromBytes(data)));
        }
        Assert.Null(_store.Read(tx => tx.Leases.Get(id)));
    }
}
