using System.Runtime.InteropServices;

namespace Berth.Linux.Net;

/// <summary>
/// Raw libnftables entry points (<c>nftables/libnftables.h</c>, nftables 1.0). Bound lazily by name, not
/// linked at build time: the library is optional (<see cref="Nftables.IsAvailable"/>), so the name must stay
/// exactly <c>libnftables.so.1</c>, the soname Debian's libnftables1 installs (there is no dev symlink).
/// </summary>
internal static unsafe partial class NftablesNative
{
    internal const string Name = "libnftables.so.1";

    /// <summary><c>NFT_CTX_DEFAULT</c>.</summary>
    internal const uint ContextDefault = 0;

    /// <summary>NULL on allocation failure. Opens a netlink socket that is NOT close-on-exec (nftables 1.0.6).</summary>
    [LibraryImport(Name)]
    internal static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Name)]
    internal static partial void nft_ctx_free(nint ctx);

    /// <summary>Collects what nft would print on stdout in memory; 0 on success.</summary>
    [LibraryImport(Name)]
    internal static partial int nft_ctx_buffer_output(nint ctx);

    /// <summary>Collects nft's error messages (with the offending script line and carets) in memory; 0 on success.</summary>
    [LibraryImport(Name)]
    internal static partial int nft_ctx_buffer_error(nint ctx);

    /// <summary>The buffered output since the last call (the buffer is rewound): NUL-terminated, owned by the context.</summary>
    [LibraryImport(Name)]
    internal static partial byte* nft_ctx_get_output_buffer(nint ctx);

    /// <summary>The buffered errors since the last call, like <see cref="nft_ctx_get_output_buffer"/>.</summary>
    [LibraryImport(Name)]
    internal static partial byte* nft_ctx_get_error_buffer(nint ctx);

    /// <summary>Parses and runs every command of <paramref name="buffer"/> as one netlink batch; 0 on success, nonzero if nothing was committed.</summary>
    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int nft_run_cmd_from_buffer(nint ctx, string buffer);

    /// <summary>Reads the script from a file: nft's error messages then name the right line (from a buffer, 1.0.6 quotes the first).</summary>
    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int nft_run_cmd_from_filename(nint ctx, string filename);

    /// <summary>Check mode (<c>nft -c</c>): the batch goes to the kernel without its commit message, so the kernel checks and discards it.</summary>
    [LibraryImport(Name)]
    internal static partial void nft_ctx_set_dry_run(nint ctx, byte dry);
}
