using Berth.Images;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>
/// <c>docker push</c> from an <see cref="ImageStore"/>: for each tag, the layers the registry lacks (HEAD first;
/// mounted from another repository of the same registry when the blob came from there; else uploaded whole),
/// the config, then the manifest under the tag: as the image was stored when its layers are compressed (a
/// pulled image keeps its digest), else a Docker schema 2 manifest of gzip copies of its layers, as Docker
/// pushes a loaded or committed image. Progress goes out as Docker's messages; the pushed digest becomes a RepoDigest.
/// </summary>
public sealed class ImagePusher(ImageStore store, RegistryClient client)
{
    /// <summary>dockerd's max-concurrent-uploads default.</summary>
    public const int ConcurrentUploads = 5;

    /// <summary>Pushes <paramref name="repository"/> (a name without tag) with <paramref name="tag"/>, or every tag it has when null.</summary>
    public async Task<IReadOnlyList<PushResultAux>> PushAsync(Reference repository, string? tag, RegistryCredentials credentials, Action<ProgressMessage> progress, CancellationToken ct)
    {
        var targets = Targets(repository, tag);
        progress(new ProgressMessage($"The push refers to repository [{repository.Name}]"));
        var results = new List<PushResultAux>();
        foreach (var (image, target) in targets)
            results.Add(await PushOneAsync(image, target, credentials, progress, ct).ConfigureAwait(false));
        return results;
    }

    List<(Image Image, Reference Target)> Targets(Reference repository, string? tag)
    {
        if (tag is not null)
        {
            var target = repository.WithTag(tag);
            var image = store.TryGet(target.ToString())
                ?? throw StoreException.NotFound($"An image does not exist locally with the tag: {repository.FamiliarName}");
            return [(image, target)];
        }
        var all = store.List().SelectMany(i => i.RepoTags.Select(t => (Image: i, Target: Reference.ParseNormalized(t))))
            .Where(x => x.Target.Name == repository.Name).OrderBy(x => x.Target.Tag, StringComparer.Ordinal).ToList();
        if (all.Count == 0)
            throw StoreException.NotFound($"An image does not exist locally with the tag: {repository.FamiliarName}");
        return all;
    }

    async Task<PushResultAux> PushOneAsync(Image image, Reference target, RegistryCredentials credentials, Action<ProgressMessage> progress, CancellationToken ct)
    {
        var stored = store.StoredManifest(image);
        var storedLayers = stored.Manifest.Layers ?? [];
        var diffIds = image.DiffIds;
        // Docker shows the top layer first, each by its diffID.
        var order = Enumerable.Range(0, storedLayers.Count).Reverse().Where(i => !MediaTypes.IsNonDistributable(storedLayers[i].MediaType)).ToList();
        foreach (int i in order)
            progress(ProgressMessage.Layer(ProgressIds.Short(diffIds[i]), "Preparing"));

        using var lease = LeaseHandle.Create(store.Metadata);
        var layers = await Task.Run(() => storedLayers.Select(l => MediaTypes.IsNonDistributable(l.MediaType) ? l : store.GzipLayer(lease, l)).ToList(), ct).ConfigureAwait(false);
        var (manifestBytes, mediaType) = layers.SequenceEqual(storedLayers) ? (stored.Bytes, stored.MediaType) : DockerManifest(stored.Manifest, layers);

        string sourceKey = ImagePuller.SourceLabelPrefix + target.Domain;
        var sources = layers.Select(l => store.Metadata.Read(tx => tx.Content.Get(l.Digest)).GetValueOrDefault(sourceKey)).ToList();
        var session = await RegistryClient.FirstReachableAsync(client.Sessions(target.Domain, target.Path, credentials, push: true,
            sources.Where(s => s is not null && s != target.Path).Select(s => s!)), ct).ConfigureAwait(false);

        using var slots = new SemaphoreSlim(ConcurrentUploads);
        await Task.WhenAll(order.Select(i => PushLayerAsync(session, layers[i], ProgressIds.Short(diffIds[i]), sources[i], slots, progress, ct))).ConfigureAwait(false);

        var config = stored.Manifest.Config!;
        if (!await session.BlobExistsAsync(config.Digest, ct).ConfigureAwait(false))
            await session.UploadBlobAsync(config.Digest, config.Size, () => store.Content.OpenRead(config.Digest), null, ct).ConfigureAwait(false);

        string tag = target.Tag ?? Reference.DefaultTag;
        var digest = await session.PutManifestAsync(tag, manifestBytes, mediaType, ct).ConfigureAwait(false);
        store.AddRepoDigest(image, target.WithoutTagOrDigest().WithDigest(digest));
        store.Metadata.Write(tx =>
        {
            foreach (var blob in layers.Append(config))
                tx.Content.SetLabel(blob.Digest, sourceKey, target.Path);
        });
        var aux = new PushResultAux(tag, digest.ToString(), manifestBytes.Length);
        progress(new ProgressMessage($"{tag}: digest: {digest} size: {manifestBytes.Length}"));
        progress(new ProgressMessage("", Detail: true) { Aux = aux });
        return aux;
    }

    /// <summary>
    /// The Docker schema 2 manifest Docker pushes for an image whose layers it compressed: the same config (so the
    /// same image ID), gzip layers, written as Docker's registry client writes it (3-space indent).
    /// </summary>
    static (byte[] Bytes, string MediaType) DockerManifest(ImageManifest stored, IReadOnlyList<Descriptor> layers)
    {
        var manifest = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = stored.Config!.Digest, Size = stored.Config.Size },
            Layers = layers,
        };
        return (OciImageJson.WriteIndented(manifest, 3), MediaTypes.DockerManifest);
    }

    async Task PushLayerAsync(RepositorySession session, Descriptor layer, string id, string? source, SemaphoreSlim slots, Action<ProgressMessage> progress, CancellationToken ct)
    {
        bool waiting = slots.CurrentCount == 0;
        if (waiting)
            progress(ProgressMessage.Layer(id, "Waiting"));
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await session.BlobExistsAsync(layer.Digest, ct).ConfigureAwait(false))
            {
                progress(ProgressMessage.Layer(id, "Layer already exists"));
                return;
            }
            if (source is not null && source != session.Repository && await session.MountBlobAsync(layer.Digest, source, ct).ConfigureAwait(false))
            {
                progress(ProgressMessage.Layer(id, $"Mounted from {source}"));
                return;
            }
            long lastReport = 0;
            await session.UploadBlobAsync(layer.Digest, layer.Size, () => store.Content.OpenRead(layer.Digest), sent =>
            {
                if (sent - lastReport >= 512 << 10 || sent == layer.Size)
                {
                    lastReport = sent;
                    progress(ProgressMessage.Bar(id, "Pushing", sent, layer.Size));
                }
            }, ct).ConfigureAwait(false);
            progress(ProgressMessage.Layer(id, "Pushed"));
        }
        finally
        {
            slots.Release();
        }
    }
}
