using System.Runtime.InteropServices;

namespace Berth.Linux.Net;

/// <summary>A libnftables context (<c>struct nft_ctx</c>) whose output and errors go to memory, not to stdout and stderr.</summary>
internal sealed unsafe class NftablesContext : IDisposable
{
    NftablesContext(nint handle) => Handle = handle;

    public nint Handle { get; private set; }

    public static NftablesContext Create()
    {
        nint handle = NftablesNative.nft_ctx_new(NftablesNative.ContextDefault);
        if (handle == 0)
            throw new NftablesException("", "nft_ctx_new failed");
        var context = new NftablesContext(handle);
        if (NftablesNative.nft_ctx_buffer_output(handle) != 0 || NftablesNative.nft_ctx_buffer_error(handle) != 0)
        {
            context.Dispose();
            throw new NftablesException("", "nft_ctx_buffer_output/nft_ctx_buffer_error failed");
        }
        return context;
    }

    /// <summary>What nft printed since the last take.</summary>
    public string TakeOutput() => Marshal.PtrToStringUTF8((nint)NftablesNative.nft_ctx_get_output_buffer(Handle)) ?? "";

    /// <summary>The errors nft reported since the last take.</summary>
    public string TakeErrors() => Marshal.PtrToStringUTF8((nint)NftablesNative.nft_ctx_get_error_buffer(Handle)) ?? "";

    public void Dispose()
    {
        if (Handle == 0)
            return;
        NftablesNative.nft_ctx_free(Handle);
        Handle = 0;
    }
}
