using System.IO.Compression;
using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>Which extended attributes a layer carries.</summary>
public enum XattrPolicy
{
    /// <summary>All of them except overlayfs's own (trusted.overlay.*, user.overlay.*): user.*, trusted.*, security.*.</summary>
    All,

    /// <summary>Only security.capability, as Docker's archive package writes.</summary>
    CapabilityOnly,
}

/// <summary>How <see cref="LayerWriter"/> makes a layer tar.</summary>
public sealed class LayerWriteOptions
{
    public LayerCompression Compression { get; init; } = LayerCompression.None;

    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// Keep mtimes' nanoseconds (in PAX records). Docker truncates mtimes to whole seconds so that the
    /// same tree gives the same digest on every file system; that is the default here too.
    /// </summary>
    public bool NanosecondTimes { get; init; }

    public XattrPolicy Xattrs { get; init; } = XattrPolicy.All;

    /// <summary>Host-to-container id mapping (user namespace remap): files owned by host ids are written with container ids.</summary>
    public IdMapping? IdMapping { get; init; }

    /// <summary>
    /// mtime (Unix seconds) of the whiteout entries of a two-tree diff. Docker stamps them with the
    /// current time, which makes every diff differ; a fixed time keeps the digest a function of the trees.
    /// </summary>
    public long WhiteoutTime { get; init; }

    /// <summary>Every entry gets this owner instead of the file's (Docker's ChownOpts: the CLI sends a build context as 0:0).</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>Every entry but symlinks gets these permission bits instead of the file's (COPY --chmod).</summary>
    public uint? Permissions { get; init; }

    /// <summary>
    /// Latest mtime (Unix seconds) written: later ones are clamped to it, as buildkit's rewrite-timestamp does with
    /// SOURCE_DATE_EPOCH, so files a build step touched give the same layer on every run. Null: times as they are.
    /// </summary>
    public long? ClampTime { get; init; }
}

/// <summary>
/// A layer written: its diffID (sha256 of the uncompressed tar) and tar length, and the digest and
/// length of the bytes written to the output (the compressed blob; equal to the former when uncompressed).
/// </summary>
public sealed record LayerWriteResult(Digest DiffId, long TarSize, Digest Digest, long Size, LayerCompression Compression);
