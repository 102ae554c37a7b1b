using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>What a whiteout in a layer becomes on disk.</summary>
public enum WhiteoutMode
{
    /// <summary>
    /// A plain directory that holds the lower layers already (vfs, or an export): a whiteout deletes
    /// what it names, an opaque marker deletes what the directory held before this layer.
    /// </summary>
    Delete,

    /// <summary>
    /// An overlayfs upper directory: a whiteout becomes a 0/0 character device, an opaque marker
    /// the overlay opaque xattr on its directory (<see cref="ApplyOptions.OpaqueXattr"/>).
    /// </summary>
    Overlay,
}

/// <summary>How <see cref="LayerApplier.Apply"/> extracts a layer.</summary>
public sealed class ApplyOptions
{
    public WhiteoutMode Whiteouts { get; init; } = WhiteoutMode.Delete;

    /// <summary>The diffID the layer must have (from the image config); a mismatch fails the apply with DataLoss.</summary>
    public Digest? ExpectedDiffId { get; init; }

    /// <summary>Container-to-host id mapping (user namespace remap); null keeps the ids of the archive.</summary>
    public IdMapping? IdMapping { get; init; }

    /// <summary>Whether to set owners from the archive; by default only when running as root, as Docker does.</summary>
    public bool? ChangeOwnership { get; init; }

    /// <summary>Ignore xattrs the target file system does not support (ENOTSUP) instead of failing.</summary>
    public bool BestEffortXattrs { get; init; }

    /// <summary>The overlay opaque xattr: trusted.overlay.opaque, or user.overlay.opaque for an overlay mounted with userxattr.</summary>
    public string OpaqueXattr { get; init; } = Layers.Whiteouts.OverlayOpaqueXattr;
}

/// <summary>
/// The outcome of an apply: the layer's diffID (sha256 of the whole uncompressed tar stream), the
/// length of that stream, and the sum of the entries' sizes (what Docker's UnpackLayer returns as size).
/// </summary>
public sealed record ApplyResult(Digest DiffId, long TarSize, long ContentSize, long Entries, LayerCompression Compression);
