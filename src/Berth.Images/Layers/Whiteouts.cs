namespace Berth.Images.Layers;

/// <summary>
/// The whiteout names of the OCI image spec (inherited from AUFS): <c>.wh.&lt;name&gt;</c> deletes
/// &lt;name&gt; from the layers below, <c>.wh..wh..opq</c> in a directory hides everything the layers
/// below have in it. overlayfs writes the same facts as a 0/0 character device and a
/// trusted.overlay.opaque=y xattr.
/// </summary>
public static class Whiteouts
{
    public const string Prefix = ".wh.";

    /// <summary>AUFS metadata at the root of a layer (<c>.wh..wh.plnk</c>, <c>.wh..wh.aufs</c>): skipped.</summary>
    public const string MetaPrefix = ".wh..wh.";

    public const string Opaque = ".wh..wh..opq";

    public const string OverlayOpaqueXattr = "trusted.overlay.opaque";

    /// <summary>The opaque xattr of an overlay mounted with userxattr (rootless).</summary>
    public const string UserOverlayOpaqueXattr = "user.overlay.opaque";

    internal static ReadOnlySpan<byte> PrefixBytes => ".wh."u8;

    internal static ReadOnlySpan<byte> MetaPrefixBytes => ".wh..wh."u8;

    internal static ReadOnlySpan<byte> OpaqueBytes => ".wh..wh..opq"u8;

    /// <summary>xattrs that belong to overlayfs itself (opaque, redirect, origin, ...): never taken from or put into a tar.</summary>
    internal static bool IsOverlayPrivate(string xattr)
        => xattr.StartsWith("trusted.overlay.", StringComparison.Ordinal) || xattr.StartsWith("user.overlay.", StringComparison.Ordinal);
}
