using Berth.Images.Metadata;
using Berth.Images.References;
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
}

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker commit</c>: the changes of the active snapshot <paramref name="snapshotKey"/> (a
    /// container's root) over <paramref name="parent"/> become a new layer on top of the parent's, and
    /// a new image. The layer is stored, not unpacked again: the first container of the new image
    /// unpacks it.
    /// </summary>
    public Image Commit(string snapshotKey, Image? parent, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        var config = options.Config ?? parent?.Config.Config ?? new ExecutionConfig();
        using var lease = LeaseHandle.Create(Metadata);
        StoredLayer layer;
        using (var writer = Content.OpenWriter($"commit-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, "cannot open an ingest for the commit"))
        {
            Layers.LayerWriteResult written;
            try
            {
                using var paused = options.Pause?.Invoke();
                using var stream = new BufferedStream(new ContentWriterStream(writer), 1 << 20);
                written = Snapshotter.WriteLayer(snapshotKey, stream);
            }
            catch
            {
                writer.Abort();
                throw;
            }
            var digest = lease.Commit(writer);
            layer = new StoredLayer(digest, written.Size, Oci.Image.MediaTypes.OciLayer, written.DiffId);
        }

        var now = DateTimeOffset.UtcNow;
        var platform = parent?.Config.Platform ?? Platform.Host;
        var image = (parent?.Config ?? new ImageConfig { Architecture = platform.Architecture, OS = platform.OS, Variant = platform.Variant }) with
        {
            Created = now,
            Author = options.Author,
            Comment = options.Comment,
            Config = config,
            ContainerConfig = null,
            Container = null,
            RootFS = new RootFS { Type = "layers", DiffIds = [.. parent?.DiffIds ?? [], layer.DiffId] },
            History = [.. parent?.Config.History ?? [], new History { Created = now, CreatedBy = options.CreatedBy, Author = options.Author, Comment = options.Comment }],
        };
        var configDigest = CommitBlob(lease, "config", OciImageJson.Write(image));
        return AddImage(lease, configDigest, [.. parent is null ? [] : LayersOf(parent), layer], options.Names, parent?.Id);
    }

    /// <summary>The stored layers of an image, with their diffIDs.</summary>
    internal static IEnumerable<StoredLayer> LayersOf(Image image)
        => (image.Manifest.Layers ?? []).Zip(image.DiffIds, (d, diffId) => new StoredLayer(d.Digest, d.Size, d.MediaType, diffId));
}
