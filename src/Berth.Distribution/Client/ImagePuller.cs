using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>What a pull did: the image, what the reference resolved to, and whether anything new came.</summary>
public sealed record PullResult(Image Image, Digest ResolvedDigest, bool Updated);

/// <summary>
/// <c>docker pull</c> into an <see cref="ImageStore"/>: the reference's manifest (a platform's, from an index),
/// then config and layers (three at a time, as dockerd) into the content store under one lease, then the
/// layers unpacked and the image named in one step (<see cref="ImageStore.AddPulled"/>). Progress goes out as
/// Docker's messages. A failure leaves no image and no name; fetched blobs stay leased to nothing and
/// are collected, an interrupted download's ingest stays to be resumed.
/// </summary>
public sealed class ImagePuller(ImageStore store, RegistryClient client)
{
    /// <summary>dockerd's max-concurrent-downloads default.</summary>
    public const int ConcurrentDownloads = 3;

    /// <summary>Content label naming the repository a blob came from, per registry (containerd's): a push to another repository of it can mount.</summary>
    public const string SourceLabelPrefix = "containerd.io/distribution.source.";

    /// <summary>
    /// Pulls <paramref name="reference"/>: a tag or a digest, or with neither (a name only) every tag of the
    /// repository, as dockerd pulls a reference without a tag; the result is the last image pulled.
    /// </summary>
    public async Task<PullResult> PullAsync(Reference reference, PlatformMatcher platforms, RegistryCredentials credentials, Action<ProgressMessage> progress, CancellationToken ct)
    {
        var sessions = client.Sessions(reference.Domain, reference.Path, credentials, push: false);
        RegistryException? last = null;
        for (int i = 0; i < sessions.Count; i++)
        {
            try
            {
                await sessions[i].PingAsync(ct).ConfigureAwait(false);
                return await PullFromAsync(sessions[i], reference, platforms, progress, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (i < sessions.Count - 1 && e.Kind is RegistryErrorKind.Unavailable or RegistryErrorKind.NotFound)
            {
                last = e; // a mirror without it: the next endpoint
            }
        }
        throw last ?? new RegistryException(RegistryErrorKind.Unavailable, $"no endpoint for {reference.Domain}");
    }

    async Task<PullResult> PullFromAsync(RepositorySession session, Reference reference, PlatformMatcher platforms, Action<ProgressMessage> progress, CancellationToken ct)
    {
        IReadOnlyList<Reference> targets = [reference];
        if (reference.IsNameOnly)
        {
            var tags = await session.TagsAsync(ct).ConfigureAwait(false);
            if (tags.Count == 0)
                throw new RegistryException(RegistryErrorKind.NotFound, $"no tags available for {reference.FamiliarName}") { Code = "NAME_UNKNOWN" };
            targets = [.. tags.Select(reference.WithTag)];
        }
        PullResult? last = null;
        bool updated = false;
        foreach (var target in targets)
        {
            var (manifest, resolved) = await ResolveAsync(session, target, platforms, ct).ConfigureAwait(false);
            last = await PullResolvedAsync(session, target, manifest, resolved, progress, ct).ConfigureAwait(false);
            updated |= last.Updated;
        }
        // dockerd's writeStatus: once, for what was asked (the repository, for all its tags).
        string name = reference.IsNameOnly ? reference.FamiliarName : reference.FamiliarString;
        progress(new ProgressMessage(updated ? $"Status: Downloaded newer image for {name}" : $"Status: Image is up to date for {name}"));
        return last!;
    }

    /// <summary>The image manifest to pull, and the digest the reference resolved to (the index's, for a multi-platform image).</summary>
    static async Task<(PulledManifest Manifest, Digest Resolved)> ResolveAsync(RepositorySession session, Reference reference, PlatformMatcher platforms, CancellationToken ct)
    {
        string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? Reference.DefaultTag;
        var fetched = await session.GetManifestAsync(tagOrDigest, ct).ConfigureAwait(false);
        var resolved = fetched.Digest;
        if (MediaTypes.IsIndex(fetched.MediaType))
        {
            var index = Read<ImageIndex>(fetched);
            var chosen = platforms.Select(index.Manifests ?? []).FirstOrDefault(d => MediaTypes.IsManifest(d.MediaType) || d.MediaType.Length == 0)
                ?? throw new RegistryException(RegistryErrorKind.NotFound,
                    $"no matching manifest for {platforms.Platforms.FirstOrDefault()?.ToString() ?? "any platform"} in the manifest list entries");
            fetched = await session.GetManifestAsync(chosen.Digest.ToString(), ct).ConfigureAwait(false);
        }
        if (!MediaTypes.IsManifest(fetched.MediaType))
            throw new RegistryException(RegistryErrorKind.Invalid, $"unsupported manifest media type {fetched.MediaType}");
        var manifest = Read<ImageManifest>(fetched);
        return (new PulledManifest(fetched.Bytes, fetched.Digest, fetched.MediaType, manifest), resolved);
    }

    async Task<PullResult> PullResolvedAsync(RepositorySession session, Reference reference, PulledManifest pulled, Digest resolved, Action<ProgressMessage> progress, CancellationToken ct)
    {
        var tag = reference.Digest is null ? reference.WithDefaultTag() : null;
        var repoDigest = reference.WithoutTagOrDigest().WithDigest(resolved);
        progress(new ProgressMessage($"Pulling from {reference.Path}", reference.Digest?.ToString() ?? tag!.Tag));
        var config = pulled.Manifest.Config!;
        var existing = store.TryGet(config.Digest.ToString());
        if (existing is not null && existing.RepoDigests.Contains(repoDigest.FamiliarString))
        {
            bool sameTag = tag is null || existing.RepoTags.Contains(tag.FamiliarString);
            if (!sameTag)
                store.Tag(existing.Id.ToString(), tag!.ToString());
            progress(new ProgressMessage($"Digest: {resolved}"));
            return new PullResult(existing, resolved, !sameTag);
        }

        var layers = pulled.Manifest.Layers ?? [];
        using var lease = LeaseHandle.Create(store.Metadata);
        var present = layers.Select(l => store.Content.Info(l.Digest) is not null).ToArray();
        for (int i = 0; i < layers.Count; i++)
            progress(ProgressMessage.Layer(ProgressIds.Short(layers[i].Digest), present[i] ? "Already exists" : "Pulling fs layer"));

        await BlobFetcher.FetchAsync(session, store.Content, lease, config, null, ct).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(ConcurrentDownloads);
        // A present layer is leased before anything else (so a collection cannot take it now), and fetched after
        // all if one did take it between the look and the lease.
        var downloads = layers.Select((layer, i) => present[i]
            ? BlobFetcher.FetchAsync(session, store.Content, lease, layer, null, ct)
            : DownloadAsync(session, lease, layer, slots, progress, ct)).ToList();
        await Task.WhenAll(downloads).ConfigureAwait(false);

        var image = await Task.Run(() => Register(pulled, tag, repoDigest, lease, present, progress), ct).ConfigureAwait(false);
        LabelSources(session, [config, .. layers]);
        progress(new ProgressMessage($"Digest: {resolved}"));
        return new PullResult(image, resolved, true);
    }

    /// <summary>dockerd's download retries: five attempts, waiting 5, 10, 15, 20 seconds between them.</summary>
    public const int DownloadAttempts = 5;

    async Task DownloadAsync(RepositorySession session, LeaseHandle lease, Descriptor layer, SemaphoreSlim slots, Action<ProgressMessage> progress, CancellationToken ct)
    {
        string id = ProgressIds.Short(layer.Digest);
        if (slots.CurrentCount == 0)
            progress(ProgressMessage.Layer(id, "Waiting"));
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await BlobFetcher.FetchAsync(session, store.Content, lease, layer, read =>
                    {
                        if (read < 0)
                            progress(ProgressMessage.Layer(id, "Verifying Checksum"));
                        else if (read > 0)
                            progress(ProgressMessage.Bar(id, "Downloading", read, layer.Size));
                    }, ct).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (attempt < DownloadAttempts && IsTransient(e) && !ct.IsCancellationRequested)
                {
                    // What arrived stays in the ingest: the next attempt asks only for the rest.
                    for (int seconds = attempt * 5; seconds > 0; seconds--)
                    {
                        progress(ProgressMessage.Layer(id, $"Retrying in {seconds} second{(seconds == 1 ? "" : "s")}"));
                        await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    }
                }
            }
            progress(ProgressMessage.Layer(id, "Download complete"));
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>A failure another attempt may not have: the connection, not the content or the credentials.</summary>
    static bool IsTransient(Exception e) => e switch
    {
        RegistryException r => r.Kind == RegistryErrorKind.Unavailable,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>Unpacks the layers (Extracting, Pull complete) and names the image.</summary>
    Image Register(PulledManifest pulled, Reference? tag, Reference repoDigest, LeaseHandle lease, bool[] present, Action<ProgressMessage> progress)
    {
        var layers = pulled.Manifest.Layers ?? [];
        int current = -1;
        long lastReport = 0;
        void Completed(int index)
        {
            if (index >= 0 && !present[index])
                progress(ProgressMessage.Layer(ProgressIds.Short(layers[index].Digest), "Pull complete"));
        }
        var image = store.AddPulled(lease, pulled, tag, repoDigest, (index, read) =>
        {
            if (index != current)
            {
                Completed(current);
                current = index;
                lastReport = 0;
            }
            if (read >= 0 && (read - lastReport >= 512 << 10 || read == layers[index].Size || lastReport == 0))
            {
                lastReport = Math.Max(read, 1);
                progress(ProgressMessage.Bar(ProgressIds.Short(layers[index].Digest), "Extracting", read, layers[index].Size));
            }
        });
        Completed(current);
        return image;
    }

    void LabelSources(RepositorySession session, IEnumerable<Descriptor> blobs)
    {
        string key = SourceLabelPrefix + session.Domain;
        store.Metadata.Write(tx =>
        {
            foreach (var blob in blobs)
                tx.Content.SetLabel(blob.Digest, key, session.Repository);
        });
    }

    static T Read<T>(FetchedManifest fetched) where T : class
    {
        try
        {
            return OciImageJson.Read<T>(fetched.Bytes, $"manifest {fetched.Digest}");
        }
        catch (OciFormatException e)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, e.Message, e);
        }
    }
}
