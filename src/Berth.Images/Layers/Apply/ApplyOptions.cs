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

    /// <summary>
    /// No layer at all but an ordinary archive (<c>docker cp</c>, Docker's Untar): ".wh." names are files like any
    /// other, and an entry for the target directory itself is skipped.
    /// </summary>
    None,
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

    /// <summary>
    /// Docker's NoOverwriteDirNonDir (<c>docker cp</c>): an existing directory is never replaced by an entry that is
    /// not one, nor an existing non-directory by a directory; the apply fails instead (Internal, Docker's words).
    /// </summary>
    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>
    /// Docker's Untar breakout check (<c>docker cp</c>): a symlink whose target, read from where the symlink is made,
    /// lies outside the target directory is refused ("invalid symlink"). The check is lexical, on the target's name
    /// as given for messages, which must then be its real absolute path (in the container, for a container's).
    /// </summary>
    public bool SymlinksStayInside { get; init; }

    /// <summary>Docker's ChownOpts: every entry gets this owner instead of the archive's (<c>docker cp -a</c> to a container with a user).</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>
    /// Docker's RebaseArchiveEntries on the way in: the first occurrence of <c>From</c> in every entry name (and hard
    /// link target) becomes <c>To</c>, as Go's strings.Replace(name, from, to, 1) does; an empty From prefixes To.
    /// </summary>
    public (string From, string To)? Rename { get; init; }

    /// <summary>
    /// Leave the stream unhashed: an ordinary archive whose digest nobody asks for (a build context, which hashes its
    /// files through <see cref="Observer"/>), so that a second sha256 over every byte is not paid. The result's
    /// DiffId is then the default value; <see cref="ExpectedDiffId"/> cannot be checked.
    /// </summary>
    public bool SkipDiffId { get; init; }

    /// <summary>Sees every entry as it is applied, and the data of regular files as it is written (null: nobody).</summary>
    public IApplyObserver? Observer { get; init; }
}

/// <summary>
/// Sees what an apply writes while it writes it: the builder digests a build context's files this way, so that its
/// cache keys cost no second read of the files.
/// </summary>
public interface IApplyObserver
{
    /// <summary>The next bytes of the regular file being applied, in order (a sparse file's holes as zeros).</summary>
    void Data(ReadOnlySpan<byte> chunk);

    /// <summary>
    /// An entry was applied at <paramref name="path"/> (cleaned, relative to the target, no slashes around it); for a
    /// regular file after all its data went through <see cref="Data"/>. Whiteouts and the root's own entry are not shown.
    /// </summary>
    void Applied(TarEntry entry, ReadOnlySpan<byte> path);
}

/// <summary>
/// The outcome of an apply: the layer's diffID (sha256 of the whole uncompressed tar stream), the
/// length of that stream, and the sum of the entries' sizes (what Docker's UnpackLayer returns as size).
/// </summary>
public sealed record ApplyResult(Digest DiffId, long TarSize, long ContentSize, long Entries, LayerCompression Compression);
