using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Images.Metadata;

/// <summary>
/// The lease of one operation in flight, created in its own transaction and deleted on dispose. A
/// pull, for example:
/// <code>
/// using var lease = LeaseHandle.Create(metadata);
/// foreach (var blob in manifest.Layers.Prepend(manifest.Config))
/// {
///     using var writer = lease.OpenWriter(content, $"pull-{blob.Digest}", blob.Digest, blob.Size);
///     if (writer is null) continue;            // present already, and now held by the lease
///     ...write...; writer.Commit();
/// }
/// lease.Commit(manifestWriter);               // digest known only now: committed and leased as one step
/// metadata.Write(tx => { tx.Content.Set(manifest digest, GcLabels.ForManifest(...)); tx.Images.Set(...); });
/// // dispose: the lease goes; the image now keeps everything
/// </code>
/// If the process dies, the lease stays until it expires (24 hours by default, as containerd's),
/// keeping the partial work for a retry; then garbage collection removes it.
/// </summary>
public sealed class LeaseHandle : IDisposable
{
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(24);

    readonly MetadataStore _store;
    bool _disposed;

    LeaseHandle(MetadataStore store, string id)
    {
        _store = store;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Creates a lease (a random id unless given) expiring after <paramref name="expiresIn"/> (default <see cref="DefaultExpiry"/>).</summary>
    public static LeaseHandle Create(MetadataStore store, TimeSpan? expiresIn = null, IReadOnlyDictionary<string, string>? labels = null, string? id = null)
    {
        id ??= $"berth-{Guid.NewGuid():N}";
        store.Write(tx => tx.Leases.Create(id, expiresIn ?? DefaultExpiry, labels));
        return new LeaseHandle(store, id);
    }

    /// <summary>Adds a resource in its own transaction.</summary>
    public void Add(LeaseResource resource) => _store.Write(tx => tx.Leases.AddResource(Id, resource));

    /// <summary>Adds a resource inside the caller's transaction.</summary>
    public void Add(MetadataTransaction tx, LeaseResource resource) => tx.Leases.AddResource(Id, resource);

    /// <summary>
    /// Leases <paramref name="expected"/> first and only then opens the writer: so a blob found present
    /// (null is returned) is already protected, and one written is protected from its commit on.
    /// </summary>
    public ContentWriter? OpenWriter(IContentStore content, string reference, Digest expected, long expectedSize = -1)
    {
        Add(LeaseResource.Content(expected));
        return content.OpenWriter(reference, expected, expectedSize);
    }

    /// <summary>
    /// Commits <paramref name="writer"/> and leases the digest with no collection in between: for
    /// content whose digest is known only once written (a layer being created, a manifest).
    /// </summary>
    public Digest Commit(ContentWriter writer, long expectedSize = -1, Digest? expected = null)
    {
        using var hold = _store.HoldCollection();
        var digest = writer.Commit(expectedSize, expected);
        Add(LeaseResource.Content(digest));
        return digest;
    }

    /// <summary>Deletes the lease. A failure here is left to expiry: what it held is just kept longer.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            _store.Write(tx => tx.Leases.Delete(Id));
        }
        catch (StoreException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
