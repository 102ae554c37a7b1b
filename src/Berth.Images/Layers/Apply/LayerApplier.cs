using System.Security.Cryptography;
using Berth.Linux;
using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>
/// Extracts a layer tar (uncompressed, gzip or zstd) into a directory the way Docker's
/// UnpackLayer does, returning its diffID computed while reading.
///
/// <para><b>Containment.</b> Nothing outside the target can be written. Every parent directory is
/// resolved by the kernel with openat2(RESOLVE_IN_ROOT) from a descriptor of the target, so symlinks
/// in the archive, absolute or relative, resolve inside it as they would in Docker's chroot; the entry
/// itself is created with an *at call relative to that parent, never following a symlink in its last
/// component; removal walks descriptors with O_NOFOLLOW. Entry names and hard-link targets whose
/// ".." climbs above the root are refused (InvalidArgument naming the entry), as moby/go-archive's
/// breakout checks refuse them; absolute names and symlink targets are kept and resolve under the
/// root, as in Docker.</para>
///
/// <para><b>Failure contract.</b> A truncated or corrupt archive, or a diffID that does not match
/// <see cref="ApplyOptions.ExpectedDiffId"/>, throws <see cref="StoreException"/> (InvalidArgument or
/// DataLoss) after part of the layer may have been written: like Docker, an apply cannot be rolled
/// back in place. Callers therefore apply into a fresh snapshot directory (a prepared, empty overlay
/// upper dir, or a vfs copy of the parent) and remove that directory when Apply throws; it becomes
/// a committed layer only after Apply returned.</para>
///
/// <para><b>Metadata.</b> Owners are kept when running as root (mapped through
/// <see cref="ApplyOptions.IdMapping"/>); modes with set-id and sticky bits; xattrs (trusted.* only as
/// root, overlay-private ones never, security.selinux and EPERM failures ignored as Docker does);
/// mtimes with nanoseconds, directories' last, after everything inside them is written.
/// Regular files of 1 MiB and more get holes where the data has whole zero 4 KiB blocks, and PAX or
/// GNU sparse entries get exactly their holes.</para>
/// </summary>
public static class LayerApplier
{
    /// <summary>Applies the layer in <paramref name="layer"/> (any compression) to the directory <paramref name="target"/>.</summary>
    public static ApplyResult Apply(Stream layer, string target, ApplyOptions? options = null)
    {
        int rootFd = FilesAt.Open(-100 /* AT_FDCWD */, System.Text.Encoding.UTF8.GetBytes(target), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (rootFd < 0)
            throw new StoreException(-rootFd == Errno.ENOENT ? StoreErrorKind.NotFound : StoreErrorKind.Internal,
                $"apply layer: open {target}: {LinuxException.Describe(-rootFd)}");
        try
        {
            return Apply(layer, rootFd, target, options);
        }
        finally
        {
            FilesAt.Close(rootFd);
        }
    }

    /// <summary>
    /// Applies the layer to the open directory <paramref name="targetFd"/> (O_RDONLY, not O_PATH), known in messages
    /// as <paramref name="targetName"/>: a directory reached inside a container's root, which has no host path.
    /// </summary>
    public static ApplyResult Apply(Stream layer, int targetFd, string targetName, ApplyOptions? options = null)
    {
        options ??= new ApplyOptions();
        if (options.SkipDiffId && options.ExpectedDiffId is not null)
            throw new ArgumentException("an expected diffID needs the stream hashed", nameof(options));
        using var tar = LayerStreams.Decompress(layer, out var compression, leaveOpen: true);
        using var hash = options.SkipDiffId ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var reader = new TarReader(tar, hash);
        long entries, contentSize;
        using (var session = new ApplySession(targetFd, targetName, options))
            (entries, contentSize) = session.Run(reader);
        reader.ReadToEnd();
        if (hash is null)
            return new ApplyResult(default, reader.BytesRead, contentSize, entries, compression);
        var diffId = Digest.FromHash(Digest.Sha256, hash);
        if (options.ExpectedDiffId is { } expected && expected != diffId)
            throw new StoreException(StoreErrorKind.DataLoss, $"layer diffID mismatch: expected {expected}, got {diffId}");
        return new ApplyResult(diffId, reader.BytesRead, contentSize, entries, compression);
    }
}
