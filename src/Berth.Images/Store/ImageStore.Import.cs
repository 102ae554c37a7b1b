using Berth.Images.Layers;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Snapshots;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>What <c>docker import</c> takes besides the archive.</summary>
public sealed record ImportOptions
{
    /// <summary>The image's config (<c>--change</c>s applied by Berth.Build's ConfigChanges); an empty one when null.</summary>
    public ExecutionConfig? Config { get; init; }

    /// <summary>The commit message; Docker's default is "Imported from &lt;source&gt;".</summary>
    public string? Message { get; init; }

    /// <summary>Where the archive came from, for the default message ("-" for standard input).</summary>
    public string Source { get; init; } = "-";

    public IReadOnlyList<Reference> Names { get; init; } = [];

    /// <summary>The image's platform; the host's by default.</summary>
    public Platform? Platform { get; init; }
}

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker import</c>: a root file system tarball (uncompressed, gzip, bzip2, xz or zstd) becomes a one-layer
    /// image. One pass over the archive both stores it uncompressed and unpacks it into the layer's
    /// snapshot, as Docker's import applies it: a bad archive leaves neither.
    /// </summary>
    public Image Import(Stream archive, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        var config = options.Config ?? new ExecutionConfig();
        using var lease = LeaseHandle.Create(Metadata);
        StoredLayer layer;
        using (var tar = ArchiveStreams.Decompress(archive, leaveOpen: true))
            layer = StoreAndUnpack(lease, tar, "import", parent: null, expectedDiffId: null);
        var now = DateTimeOffset.UtcNow;
        string message = string.IsNullOrEmpty(options.Message) ? $"Imported from {options.Source}" : options.Message;
        var platform = options.Platform ?? Platform.Host;
        var image = new ImageConfig
        {
            Architecture = platform.Architecture,
            OS = platform.OS,
            Variant = platform.Variant,
            Comment = message,
            Created = now,
            Config = config,
            RootFS = new RootFS { Type = "layers", DiffIds = [layer.DiffId] },
            History = [new History { Created = now, Comment = message }],
        };
        var configDigest = CommitBlob(lease, "config", OciImageJson.Write(image));
        Metadata.Write(tx => tx.Content.SetLabel(configDigest, Gc.GcLabels.Snapshot(Snapshotter.Name), layer.DiffId.ToString()));
        return AddImage(lease, configDigest, [layer], options.Names);
    }

    /// <summary>
    /// <c>docker export</c> of a container whose root is not mounted: its snapshot's file system as
    /// a tar. (A running container's root is exported from where it is mounted, with
    /// <see cref="LayerWriter.WriteDirectory"/>.)
    /// </summary>
    public void Export(string snapshotKey, Stream output)
    {
        string mountpoint = TempDirectory("export");
        try
        {
            SnapshotMounts.Mount(Snapshotter.ReadOnlyMounts(snapshotKey), mountpoint);
            try
            {
                LayerWriter.WriteDirectory(mountpoint, output);
            }
            finally
            {
                SnapshotMounts.Unmount(mountpoint);
            }
        }
        finally
        {
            Directory.Delete(mountpoint);
        }
    }

    /// <summary>Stores an uncompressed copy of a layer tar under the lease, checking it is a whole archive.</summary>
    internal StoredLayer StoreLayer(LeaseHandle lease, Stream layer, string what)
    {
        using var tar = LayerStreams.Decompress(layer, out _, leaveOpen: true);
        using var writer = Content.OpenWriter($"{what}-{Guid.NewGuid():N}") ?? throw new StoreException(StoreErrorKind.Internal, $"cannot open an ingest for the {what}");
        long tarSize, contentSize;
        try
        {
            (tarSize, contentSize) = LayerScan.Scan(new TeeStream(tar, writer.Write));
        }
        catch
        {
            writer.Abort();
            throw;
        }
        var digest = lease.Commit(writer);
        RecordSizes(digest, tarSize, contentSize);
        return new StoredLayer(digest, tarSize, MediaTypes.OciLayer, digest);
    }
}
