using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Snapshots;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>
/// Docker's image store on Berth's parts: blobs in the content store, names in the metadata, file
/// systems in a snapshotter. An image is known by its ID, the digest of its config (as in Docker);
/// it is stored as a manifest (OCI) naming the config and its layer blobs, and held by one record per
/// name: a normalised reference ("docker.io/library/busybox:latest", or name@digest), or, while it
/// has none (dangling), its ID itself. Layers are unpacked into snapshots named by chain ID when a
/// container first needs them, and shared by every image that has them.
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    /// <summary>Image record label: the image ID (the config digest), so that listing reads no blobs.</summary>
    internal const string IdLabel = "berth.image.id";

    /// <summary>Image record label: the image this one was committed or built on (Docker's Parent).</summary>
    internal const string ParentLabel = "berth.image.parent";

    /// <summary>Image record label: when the name was last set (Docker's Metadata.LastTagTime).</summary>
    internal const string TagTimeLabel = "berth.image.tagged";

    readonly bool _ownsMetadata;

    ImageStore(string root, MetadataStore metadata, Snapshotter snapshotter, bool ownsMetadata)
    {
        Root = root;
        Metadata = metadata;
        Content = new FileContentStore(Path.Combine(root, "content"));
        Snapshotter = snapshotter;
        _ownsMetadata = ownsMetadata;
    }

    /// <summary>
    /// Opens (creating if needed) the store under <paramref name="root"/>, on overlayfs unless
    /// <paramref name="snapshotter"/> says otherwise or the file system cannot carry it (then vfs).
    /// </summary>
    public static ImageStore Open(string root, string? snapshotter = null)
    {
        Directory.CreateDirectory(root);
        RemoveStaleTemp(root);
        var metadata = MetadataStore.Open(root);
        try
        {
            snapshotter ??= OverlaySupport.IsSupported(root) ? OverlaySnapshotter.DefaultName : VfsSnapshotter.DefaultName;
            Snapshotter chosen = snapshotter switch
            {
                OverlaySnapshotter.DefaultName => new OverlaySnapshotter(metadata),
                VfsSnapshotter.DefaultName => new VfsSnapshotter(metadata),
                _ => throw StoreException.Invalid($"unknown snapshotter \"{snapshotter}\" (overlayfs, vfs)"),
            };
            return new ImageStore(root, metadata, chosen, ownsMetadata: true);
        }
        catch
        {
            metadata.Dispose();
            throw;
        }
    }

    public string Root { get; }

    public MetadataStore Metadata { get; }

    public FileContentStore Content { get; }

    public Snapshotter Snapshotter { get; }

    /// <summary>Removes what no image, container snapshot or operation in flight uses.</summary>
    public GcResult CollectGarbage() => new GarbageCollector(Metadata, Content, [Snapshotter]).Collect();

    /// <summary>
    /// The image <paramref name="nameOrId"/> names, as Docker resolves it: a reference (busybox,
    /// busybox:1, host:5000/x@sha256:...), a full ID (sha256:hex or hex), or an unambiguous ID prefix.
    /// </summary>
    public Image Get(string nameOrId) => TryGet(nameOrId) ?? throw StoreException.NotFound($"No such image: {nameOrId}");

    public Image? TryGet(string nameOrId)
    {
        var records = Metadata.Read(tx => tx.Images.List());
        if (Reference.TryParseNormalized(nameOrId, out var reference, out _) && !reference.IsDigestOnly)
        {
            string name = reference.WithDefaultTag().ToString();
            if (records.FirstOrDefault(r => r.Name == name) is { } named)
                return Load(IdOf(named), records);
        }
        string hex = nameOrId.StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal) ? nameOrId[(Digest.Sha256.Length + 1)..] : nameOrId;
        if (hex.Length == 0 || hex.Length > 64 || !hex.All(char.IsAsciiHexDigitLower))
            return null;
        var ids = records.Select(IdOf).Where(id => id.Algorithm == Digest.Sha256 && id.Encoded.StartsWith(hex, StringComparison.Ordinal)).Distinct().ToList();
        if (ids.Count > 1)
            throw StoreException.Invalid($"ambiguous image ID prefix {nameOrId}: matches {ids.Count} images");
        return ids.Count == 1 ? Load(ids[0], records) : null;
    }

    /// <summary>Every image, once each, newest first (as docker images lists them).</summary>
    public IReadOnlyList<Image> List()
    {
        var records = Metadata.Read(tx => tx.Images.List());
        return [.. records.Select(IdOf).Distinct().Select(id => Load(id, records)).OrderByDescending(i => i.Created)];
    }

    /// <summary>The image with the ID <paramref name="id"/> and every name it has.</summary>
    Image Load(Digest id, IReadOnlyList<ImageRecord> records)
    {
        var mine = records.Where(r => IdOf(r) == id).ToList();
        var manifestBytes = ReadBlob(mine[0].Target);
        var manifest = OciImageJson.Read<ImageManifest>(manifestBytes, $"manifest {mine[0].Target}");
        var configBytes = ReadBlob(id);
        var config = OciImageJson.Read<ImageConfig>(configBytes, $"image config {id}");
        var tags = new List<string>();
        var digests = new List<string>();
        DateTimeOffset? tagged = null;
        foreach (var record in mine)
        {
            if (record.Name == id.ToString())
                continue;
            var reference = Reference.ParseNormalized(record.Name);
            (reference.Digest is null ? tags : digests).Add(reference.FamiliarString);
            if (record.Labels.TryGetValue(TagTimeLabel, out string? time) && DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, out var t) && (tagged is null || t > tagged))
                tagged = t;
        }
        mine[0].Labels.TryGetValue(ParentLabel, out string? parent);
        return new Image(id, mine[0].Target, manifest, config, configBytes, tags, digests,
            parent is null ? null : Digest.Parse(parent), tagged);
    }

    internal static Digest IdOf(ImageRecord record)
        => record.Labels.TryGetValue(IdLabel, out string? id) ? Digest.Parse(id) : throw new StoreException(StoreErrorKind.Internal, $"image record {record.Name} has no ID");

    internal byte[] ReadBlob(Digest digest)
    {
        using var stream = Content.OpenRead(digest);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public void Dispose()
    {
        if (_ownsMetadata)
            Metadata.Dispose();
    }
}

/// <summary>An image: its ID (config digest), manifest, config, and names.</summary>
public sealed record Image(
    Digest Id,
    Digest ManifestDigest,
    ImageManifest Manifest,
    ImageConfig Config,
    byte[] ConfigBytes,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    Digest? Parent,
    DateTimeOffset? LastTagTime)
{
    /// <summary>Docker's short ID: the first 12 hex digits.</summary>
    public string ShortId => Id.Encoded[..12];

    public IReadOnlyList<Digest> DiffIds => Config.RootFS?.DiffIds ?? [];

    public DateTimeOffset Created => Config.Created?.Value ?? DateTimeOffset.UnixEpoch;

    /// <summary>The snapshot name of the image's unpacked file system: the chain ID of its layers (null: no layers).</summary>
    public Digest? ChainId => Berth.Oci.Image.ChainId.Of(DiffIds);
}
