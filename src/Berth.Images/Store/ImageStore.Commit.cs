using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>What <c>docker commit</c> takes besides the container's snapshot.</summary>
public sealed record CommitOptions
{
    /// <summary>
    /// The container's own config with the <c>--change</c>s applied (Berth.Build's ConfigChanges), which becomes the
    /// image's (Docker commits the container's config, not its image's); the parent's when null.
    /// </summary>
    public ExecutionConfig? Config { get; init; }

    public string? Author { get; init; }

    public string? Comment { get; init; }

    /// <summary>The history line's created_by: the container's command, as Docker writes it.</summary>
    public string? CreatedBy { get; init; }

    public IReadOnlyList<Reference> Names { get; init; } = [];

    /// <summary>Pauses the container while its layer is read (disposed to resume); null when it is not running or should not be paused.</summary>
    public Func<IDisposable>? Pause { get; init; }

    /// <summary>The image's creation time (a build's SOURCE_DATE_EPOCH); null: now.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Latest file time written into the layer (later ones are clamped to it: reproducible builds); null: as they are.</summary>
    public DateTimeOffset? LayerTime { get; init; }
}

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker commit</c>: the changes of the active snapshot <paramref name="snapshotKey"/> (a
    /// container's root) over <paramref name="parent"/> become a new layer on top of the parent's, and
    /// a new image. The layer is stored, not unpacked again: the first container of the new image
    /// unpacks it. No changes at all add no layer (Docker's empty layer: the history entry says so).
    /// </summary>
    public Image Commit(string snapshotKey, Image? parent, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        var config = options.Config ?? parent?.Config.Config ?? new ExecutionConfig();
        using var lease = LeaseHandle.Create(Metadata);
        StoredLayer? layer;
        using (var writer = Content.OpenWriter($"commit-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, "cannot open an ingest for the commit"))
        {
            Layers.LayerWriteResult written;
            try
            {
                using var paused = options.Pause?.Invoke();
                using var stream = new BufferedStream(new ContentWriterStream(writer), 1 << 20);
                var layerOptions = options.LayerTime is { } time ? new Layers.LayerWriteOptions { ClampTime = time.ToUnixTimeSeconds() } : null;
                written = Snapshotter.WriteLayer(snapshotKey, stream, layerOptions);
            }
            catch
            {
                writer.Abort();
                throw;
            }
            if (written.DiffId == EmptyLayerDiffId)
            {
                writer.Abort();
                layer = null;
            }
            else
            {
                var digest = lease.Commit(writer);
                layer = new StoredLayer(digest, written.Size, Oci.Image.MediaTypes.OciLayer, written.DiffId);
            }
        }

        var now = options.Created ?? DateTimeOffset.UtcNow;
        var platform = parent?.Config.Platform ?? Platform.Host;
        var image = (parent?.Config ?? new ImageConfig { Architecture = platform.Architecture, OS = platform.OS, Variant = platform.Variant }) with
        {
            Created = now,
            Author = options.Author,
            Comment = options.Comment,
            Config = config,
            ContainerConfig = null,
            Container = null,
            RootFS = new RootFS { Type = "layers", DiffIds = [.. parent?.DiffIds ?? [], .. layer is null ? Array.Empty<Digest>() : [layer.DiffId]] },
            History = [.. parent?.Config.History ?? [], new History { Created = now, CreatedBy = options.CreatedBy, Author = options.Author, Comment = options.Comment, EmptyLayer = layer is null }],
        };
        var configDigest = CommitBlob(lease, "config", OciImageJson.Write(image));
        return AddImage(lease, configDigest, [.. parent is null ? [] : LayersOf(parent), .. layer is null ? Array.Empty<StoredLayer>() : [layer]], options.Names, parent?.Id);
    }

    /// <summary>The diffID of a layer with no entries (a tar of two zero blocks): Docker adds no such layer to an image.</summary>
    static readonly Digest EmptyLayerDiffId = Digest.Parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

    /// <summary>
    /// A child of <paramref name="parent"/> (none: an image of no layers) that only changes the config, with an
    /// empty-layer history entry: what a build's ENV, LABEL, CMD and the like make.
    /// </summary>
    public Image CommitConfig(Image? parent, ImageConfig config, History history)
    {
        using var lease = LeaseHandle.Create(Metadata);
        var platform = parent?.Config.Platform ?? Platform.Host;
        var image = config with
        {
            Architecture = platform.Architecture,
            OS = platform.OS,
            Variant = platform.Variant,
            Created = history.Created,
            RootFS = new RootFS { Type = "layers", DiffIds = [.. parent?.DiffIds ?? []] },
            History = [.. parent?.Config.History ?? [], history with { EmptyLayer = true }],
        };
        var configDigest = CommitBlob(lease, "config", OciImageJson.Write(image));
        return AddImage(lease, configDigest, parent is null ? [] : [.. LayersOf(parent)], [], parent?.Id);
    }

    /// <summary>
    /// The image a build step would make, taken from another image that made the same step on the same parent (a
    /// <c>--cache-from</c> image, pulled or loaded, whose history goes on from the parent's; Docker's
    /// restoreCachedImage): the parent's layers and history, then <paramref name="source"/>'s history entry at
    /// <paramref name="index"/> and its layer when it has one, with <paramref name="config"/>.
    /// </summary>
    public Image CommitFromHistory(Image? parent, Image source, int index, ImageConfig config)
    {
        var sourceHistory = source.Config.History ?? [];
        var entry = sourceHistory[index];
        StoredLayer? layer = null;
        if (entry.EmptyLayer != true)
        {
            int layerIndex = sourceHistory.Take(index).Count(h => h.EmptyLayer != true);
            layer = LayersOf(source).ElementAtOrDefault(layerIndex)
                ?? throw new StoreException(StoreErrorKind.InvalidArgument, $"image {source.Id} has no layer for its history entry {index}");
        }
        using var lease = LeaseHandle.Create(Metadata);
        var platform = source.Config.Platform;
        var image = config with
        {
            Architecture = platform.Architecture,
            OS = platform.OS,
            Variant = platform.Variant,
            Created = entry.Created,
            RootFS = new RootFS { Type = "layers", DiffIds = [.. parent?.DiffIds ?? [], .. layer is null ? Array.Empty<Digest>() : [layer.DiffId]] },
            History = [.. parent?.Config.History ?? [], entry],
        };
        var configDigest = CommitBlob(lease, "config", OciImageJson.Write(image));
        return AddImage(lease, configDigest, [.. parent is null ? [] : LayersOf(parent), .. layer is null ? Array.Empty<StoredLayer>() : [layer]], [], parent?.Id);
    }

    /// <summary>The stored layers of an image, with their diffIDs.</summary>
    internal static IEnumerable<StoredLayer> LayersOf(Image image)
        => (image.Manifest.Layers ?? []).Zip(image.DiffIds, (d, diffId) => new StoredLayer(d.Digest, d.Size, d.MediaType, diffId));
}
