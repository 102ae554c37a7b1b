using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>Which layout <see cref="ArchiveWriter"/> writes.</summary>
public enum ArchiveFormat
{
    /// <summary>
    /// What <c>docker save</c> writes since Docker 25: the OCI image layout (<c>oci-layout</c>, <c>index.json</c>,
    /// <c>blobs/</c>) plus Docker's <c>manifest.json</c> and <c>repositories</c>, naming the same blobs. Every
    /// <c>docker load</c> back to Docker 1.10 reads it (older ones through <c>manifest.json</c>).
    /// </summary>
    Docker,

    /// <summary>The OCI image layout alone (skopeo's <c>oci-archive:</c>, BuildKit's <c>type=oci</c>).</summary>
    OciLayout,
}

/// <summary>
/// An image to archive: its config blob as stored (its digest is the image ID), its layers bottom first (they must be
/// the config's <c>rootfs.diff_ids</c>, in order), and the tags to record (<c>name:tag</c>, as <c>docker save</c> takes them).
/// </summary>
public sealed record ArchiveImage(Digest ConfigDigest, ReadOnlyMemory<byte> Config, IReadOnlyList<ArchiveLayer> Layers, IReadOnlyList<string> RepoTags);

/// <summary>
/// A layer to archive, uncompressed as <c>docker save</c> writes layers: its diffID, its tar's length and a way to
/// read it. The tar is streamed into the archive once per distinct diffID and checked against both.
/// </summary>
public sealed record ArchiveLayer(Digest DiffId, long Size, Func<Stream> OpenUncompressedTar);

/// <summary>
/// An image found in an extracted archive by <see cref="ArchiveReader"/>: its config (digest verified), its layers
/// bottom first, and its tags in familiar form (<c>busybox:latest</c>).
/// </summary>
public sealed record LoadedImage(Digest ConfigDigest, byte[] Config, IReadOnlyList<LoadedLayer> Layers, IReadOnlyList<string> RepoTags);

/// <summary>
/// A layer of a <see cref="LoadedImage"/>: the absolute path of its file inside the archive directory (checked to be a
/// regular file there; a symlink's target, when the archive had Docker's legacy layer links), the blob digest when
/// the archive names one (OCI layouts and Docker 25's <c>blobs/</c>; for Docker's archives that is the diffID), and
/// its media type. Compression is the media type's for OCI layouts; Docker's archives may hold compressed layers under
/// an uncompressed type, as <c>docker load</c> detects compression from the bytes: use <c>LayerStreams.Decompress</c>.
/// The diffID is verified by whoever applies the layer, against the config's <c>rootfs.diff_ids</c>.
/// </summary>
public sealed record LoadedLayer(string Path, Digest? Digest, string MediaType);
