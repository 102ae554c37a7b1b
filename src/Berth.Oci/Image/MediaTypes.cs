namespace Berth.Oci.Image;

/// <summary>
/// The media types of image content: the OCI image spec v1.1's, Docker's schema 2 (which the OCI types were copied
/// from, and which registries and <c>docker save</c> still produce), and Docker's schema 1, named only so that it can
/// be refused with a clear message (Docker no longer pulls it).
/// </summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>Deprecated by the spec (v1.1) but still found; their blobs may be absent from a registry.</summary>
    public const string OciLayerNonDistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciLayerNonDistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciLayerNonDistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    /// <summary>The blob <c>{}</c>: config of artifacts that need none, and a placeholder layer.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Uncompressed Docker layer: not in Docker's spec, but written by containerd and accepted by Docker.</summary>
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";

    /// <summary>A layer fetched from its <c>urls</c> (Windows base layers), never pushed.</summary>
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>Docker schema 1 (unsigned): refused.</summary>
    public const string DockerSchema1Manifest = "application/vnd.docker.distribution.manifest.v1+json";

    /// <summary>Docker schema 1 with a JWS signature: refused.</summary>
    public const string DockerSchema1SignedManifest = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>The digest of <see cref="OciEmpty"/>'s two bytes <c>{}</c>.</summary>
    public static readonly Digest EmptyJsonDigest = new(Digest.Sha256, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

    /// <summary>An OCI index or a Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>An OCI image manifest or a Docker schema 2 manifest.</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsImageConfig(string? mediaType) => mediaType is OciConfig or DockerConfig;

    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1Manifest or DockerSchema1SignedManifest;

    /// <summary>Docker's own types, whose documents Docker writes with its own descriptor field order.</summary>
    public static bool IsDocker(string? mediaType) =>
        mediaType is not null && mediaType.StartsWith("application/vnd.docker.", StringComparison.Ordinal);

    /// <summary>A layer that can be applied: a (compressed) tar of one of the known types.</summary>
    public static bool IsLayer(string? mediaType) => mediaType is
        OciLayer or OciLayerGzip or OciLayerZstd
        or OciLayerNonDistributable or OciLayerNonDistributableGzip or OciLayerNonDistributableZstd
        or DockerLayer or DockerLayerGzip or DockerForeignLayerGzip;

    /// <summary>A layer that registries may not hold, so that a push skips it and a pull fetches it from its URLs.</summary>
    public static bool IsNonDistributable(string? mediaType) => mediaType is
        OciLayerNonDistributable or OciLayerNonDistributableGzip or OciLayerNonDistributableZstd or DockerForeignLayerGzip;

    /// <summary>How a layer's tar is compressed; null when <paramref name="mediaType"/> is not a layer.</summary>
    public static LayerCompression? CompressionOf(string? mediaType) => mediaType switch
    {
        OciLayer or OciLayerNonDistributable or DockerLayer => LayerCompression.None,
        OciLayerGzip or OciLayerNonDistributableGzip or DockerLayerGzip or DockerForeignLayerGzip => LayerCompression.Gzip,
        OciLayerZstd or OciLayerNonDistributableZstd => LayerCompression.Zstd,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="mediaType"/> is well formed as RFC 6838 section 4.2 (which the OCI spec requires):
    /// <c>type/subtype</c>, each a restricted name of 1 to 127 characters, optionally followed by <c>;</c> parameters.
    /// </summary>
    public static bool IsValid(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return false;
        }
        ReadOnlySpan<char> type = mediaType.AsSpan();
        int semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type[..semicolon].TrimEnd(' ');
        }
        int slash = type.IndexOf('/');
        return slash > 0 && IsRestrictedName(type[..slash]) && IsRestrictedName(type[(slash + 1)..]);
    }

    // restricted-name = restricted-name-first *126restricted-name-chars
    private static bool IsRestrictedName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > 127 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }
        foreach (char c in name[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('!' or '#' or '$' or '&' or '-' or '^' or '_' or '.' or '+'))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>The compression of a layer tar, from its media type.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
